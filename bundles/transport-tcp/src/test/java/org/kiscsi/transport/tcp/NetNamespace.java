package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace joined to this host by a veth pair, with fixed link-local addresses on both
 * ends ({@link #HOST_ADDRESS} here, {@link #PEER_ADDRESS} inside). {@link #close()} deletes the
 * namespace, which takes the veth pair with it. Needs root and iproute2's {@code ip}.
 */
final class NetNamespace implements AutoCloseable {
    static final String HOST_ADDRESS = "fe80::1";
    static final String PEER_ADDRESS = "fe80::2";
    private static final long COMMAND_SECONDS = 10;

    final String name;
    /** The veth end on this host: the zone id for reaching the peer. */
    final String hostInterface;
    /** The veth end inside the namespace. */
    final String peerInterface;

    private NetNamespace(String id) {
        name = "kiscsi-tcp-" + id;
        hostInterface = "kth" + id; // interface names: at most 15 characters
        peerInterface = "ktp" + id;
    }

    static NetNamespace withVethPair() throws Exception {
        String ip = ipCommand();
        String id = String.format("%04x%04x", ProcessHandle.current().pid() & 0xFFFF, ThreadLocalRandom.current().nextInt(0x10000));
        NetNamespace ns = new NetNamespace(id);
        try {
            run(ip, "netns", "add", ns.name);
            run(ip, "link", "add", ns.hostInterface, "type", "veth", "peer", "name", ns.peerInterface, "netns", ns.name);
            run(ip, "-6", "addr", "add", HOST_ADDRESS + "/64", "dev", ns.hostInterface, "nodad");
            run(ip, "link", "set", ns.hostInterface, "up");
            run(ip, "-n", ns.name, "link", "set", "lo", "up");
            run(ip, "-n", ns.name, "-6", "addr", "add", PEER_ADDRESS + "/64", "dev", ns.peerInterface, "nodad");
            run(ip, "-n", ns.name, "link", "set", ns.peerInterface, "up");
        } catch (Exception | AssertionError e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The command line that runs {@code command} inside this namespace. */
    List<String> inside(List<String> command) {
        List<String> all = new ArrayList<>(List.of(ipCommand(), "netns", "exec", name));
        all.addAll(command);
        return all;
    }

    static boolean exists(String name) throws IOException {
        return run(ipCommand(), "netns", "list").lines().anyMatch(l -> l.split(" ")[0].equals(name));
    }

    /** Deletes the namespace (and so the veth pair); tolerates half-built ones. */
    @Override
    public void close() throws IOException {
        String ip = ipCommand();
        List<String> errors = new ArrayList<>();
        if (exists(name)) {
            try {
                run(ip, "netns", "delete", name);
            } catch (AssertionError e) {
                errors.add(e.getMessage());
            }
        }
        // deleting the namespace deletes the veth pair, asynchronously: wait for it, then insist
        Path host = Path.of("/sys/class/net", hostInterface);
        for (int i = 0; i < 20 && Files.exists(host); i++) {
            pause(100);
        }
        if (Files.exists(host)) {
            try {
                run(ip, "link", "delete", hostInterface);
            } catch (AssertionError e) {
                if (Files.exists(host)) {
                    errors.add(e.getMessage());
                }
            }
        }
        if (!errors.isEmpty()) {
            fail("cleaning up network namespace " + name + " failed: " + errors);
        }
    }

    private static String ipCommand() {
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
            if (Files.isExecutable(Path.of(dir, "ip"))) {
                return dir + "/ip";
            }
        }
        return fail("the 'ip' command is missing: install iproute2 (apt-get install iproute2); this test creates a network namespace");
    }

    private static void pause(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while cleaning up a network namespace");
        }
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        boolean finished;
        try {
            finished = p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running " + String.join(" ", command));
        }
        if (!finished) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + COMMAND_SECONDS + " s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            String hint = out.contains("Operation not permitted") || out.contains("Permission denied")
                    ? " (network namespaces need root: run the tests as root, as dev/test does)" : "";
            fail(String.join(" ", command) + " failed with exit code " + p.exitValue() + ": " + out.trim() + hint);
        }
        return out;
    }
}
