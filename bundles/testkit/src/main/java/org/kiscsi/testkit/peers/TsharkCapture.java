package org.kiscsi.testkit.peers;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A running tshark capture on lo into a pcapng in a scratch directory.
 * <p>
 * tshark (dumpcap) hands packets to the file in batches and drops what it has not written yet
 * when it is stopped; it also prints "Capturing on" before packets really flow. Both ends are
 * therefore fenced with marker datagrams sent to a UDP port of this capture's own (part of the
 * capture filter), each with a unique payload: {@link #start} returns once a marker is in the
 * file, {@link #stop()} sends an end marker and waits until it is in the file before SIGTERM.
 * Packets are written in order, so everything sent before the end marker is in the pcap.
 * {@link #close()} also deletes the directory; tshark's own autostop ends a forgotten capture.
 */
public final class TsharkCapture implements AutoCloseable {
    private static final Duration MARKER_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** tshark's own bound ({@code -a duration:}): a capture nobody stops ends by itself. */
    private static final int AUTOSTOP_SECONDS = 300;

    private final int[] ports;
    private final ScratchDir dir;
    private final Path pcap;
    private final Path log;
    private final Process process;
    private final DatagramSocket marker;
    private boolean stopped;

    private TsharkCapture(int[] ports, ScratchDir dir, Path pcap, Path log, Process process, DatagramSocket marker) {
        this.ports = ports;
        this.dir = dir;
        this.pcap = pcap;
        this.log = log;
        this.process = process;
        this.marker = marker;
    }

    static TsharkCapture start(int... tcpPorts) {
        if (tcpPorts.length == 0) {
            throw new IllegalArgumentException("capture needs at least one TCP port");
        }
        Tool.TSHARK.path();
        ScratchDir dir = ScratchDir.create("kiscsi-tshark-");
        Process p = null;
        DatagramSocket marker = null;
        try {
            marker = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            String filter = Arrays.stream(tcpPorts).mapToObj(port -> "tcp port " + port).collect(Collectors.joining(" or "))
                    + " or udp port " + marker.getLocalPort();
            Path pcap = dir.resolve("capture.pcapng");
            Path log = PeerLogs.newLogFile("tshark");
            p = Processes.startDaemon(Command.of(Tool.TSHARK, "-i", "lo", "-B", "64", "-n", "-q", "-f", filter, "-w", pcap.toString(), "-a",
                    "duration:" + AUTOSTOP_SECONDS), log);
            TsharkCapture c = new TsharkCapture(tcpPorts.clone(), dir, pcap, log, p, marker);
            c.awaitMarker("start");
            return c;
        } catch (IOException | RuntimeException e) {
            if (p != null) {
                Processes.killTree(p, Duration.ofSeconds(5));
            }
            if (marker != null) {
                marker.close();
            }
            dir.close();
            throw e instanceof PeerException pe ? pe : new PeerException("cannot start tshark: " + e.getMessage(), e);
        }
    }

    /** Sends a uniquely tagged datagram every 25 ms until tshark has written one into the pcap. */
    private void awaitMarker(String what) {
        byte[] tag = ("kiscsi-capture-" + what + "-" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII);
        DatagramPacket packet = new DatagramPacket(tag, tag.length, InetAddress.getLoopbackAddress(), marker.getLocalPort());
        long[] scanned = {0};
        Processes.waitUntil("tshark (pid " + process.pid() + ") to write the " + what + " marker into " + pcap, MARKER_TIMEOUT, () -> {
            if (!process.isAlive()) {
                throw new PeerException("tshark exited with code " + process.exitValue() + "; log " + log + ":\n" + Processes.tail(log, 20));
            }
            try {
                marker.send(packet);
                return contains(tag, scanned);
            } catch (IOException e) {
                throw new PeerException("cannot send a capture marker or read " + pcap + ": " + e.getMessage(), e);
            }
        }, () -> "log " + log + ":\n" + Processes.tail(log, 20));
    }

    /** Whether the pcap holds {@code tag}; reads only what was appended since the last call. */
    private boolean contains(byte[] tag, long[] scanned) throws IOException {
        if (!Files.exists(pcap)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(pcap, StandardOpenOption.READ)) {
            long from = Math.max(0, scanned[0] - tag.length);
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            byte[] carry = new byte[0];
            for (long pos = from; pos < size; ) {
                buf.clear();
                int n = ch.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                byte[] chunk = new byte[carry.length + n];
                System.arraycopy(carry, 0, chunk, 0, carry.length);
                System.arraycopy(buf.array(), 0, chunk, carry.length, n);
                if (indexOf(chunk, tag) >= 0) {
                    return true;
                }
                carry = Arrays.copyOfRange(chunk, Math.max(0, chunk.length - tag.length), chunk.length);
                pos += n;
            }
            scanned[0] = size;
            return false;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Waits until everything sent so far is in the pcap, ends tshark and returns the pcap (valid until {@link #close()}). */
    public synchronized Path stop() {
        if (!stopped) {
            stopped = true;
            try {
                if (process.isAlive()) {
                    awaitMarker("end");
                }
            } finally {
                Processes.terminate(process, STOP_GRACE);
                marker.close();
            }
        }
        return pcap;
    }

    public Path pcap() {
        return pcap;
    }

    public Path logFile() {
        return log;
    }

    public List<Integer> ports() {
        return Arrays.stream(ports).boxed().toList();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the capture and deletes the pcap with its directory. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            dir.close();
        }
    }

    @Override
    public String toString() {
        return "tshark pid " + process.pid() + " capturing tcp ports " + ports() + " into " + pcap;
    }
}
