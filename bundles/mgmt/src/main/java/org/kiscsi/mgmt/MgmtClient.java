package org.kiscsi.mgmt;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Sends requests to a daemon's management socket, one connection each, and waits for the answer:
 * {@link Waits#firstFrame} for the first frame, then whatever the daemon's progress frames announce
 * (plus {@link Waits#margin}). {@link #negotiate} agrees on a version with the daemon (see
 * {@link MgmtProtocol}) and remembers what it learned. Blocking: this is the command-line edge.
 */
public final class MgmtClient {
    /**
     * How long to wait.
     *
     * @param firstFrame for the first frame of a version-2 answer (an answer, or progress)
     * @param margin added to what a progress frame announces (the daemon answers REQ_TIMEDOUT itself then)
     * @param version1Answer for the answer to a version-1 request, which has no progress frames
     */
    public record Waits(Duration firstFrame, Duration margin, Duration version1Answer) {
        public static final Waits DEFAULT = new Waits(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(130));

        public Waits {
            Objects.requireNonNull(firstFrame, "firstFrame");
            Objects.requireNonNull(margin, "margin");
            Objects.requireNonNull(version1Answer, "version1Answer");
        }
    }

    private final Path socket;
    private final Waits waits;
    private volatile int daemonMax;
    private volatile int daemonMin = 1;

    public MgmtClient(Path socket, Waits waits) {
        this.socket = socket;
        this.waits = waits;
    }

    /** Waits {@code timeout} for the first frame (and for a version-1 answer). */
    public MgmtClient(Path socket, Duration timeout) {
        this(socket, new Waits(timeout, Waits.DEFAULT.margin(), timeout));
    }

    public Path socket() {
        return socket;
    }

    public Waits waits() {
        return waits;
    }

    /** The highest version the daemon speaks, once an exchange has told. */
    public OptionalInt daemonVersion() {
        int v = daemonMax;
        return v == 0 ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /**
     * Sends {@code op} at the highest version both sides speak (this side's highest until the daemon
     * said otherwise); a version refusal is retried once at the highest common version.
     *
     * @param since the version {@code op} appeared in
     * @throws ProtocolRangeException when no common version is {@code since} or later
     */
    public MgmtResponse negotiate(String op, List<MgmtPair> args, int since) throws IOException {
        int v = daemonMax == 0 ? MgmtProtocol.VERSION : Math.min(MgmtProtocol.VERSION, daemonMax);
        check(op, v, since);
        MgmtResponse r;
        try {
            r = call(new MgmtRequest(v, op, args));
        } catch (UnsupportedVersionException e) {
            // the daemon refused in a version this side does not speak: it is newer and speaks no version of ours
            daemonMax = e.version();
            throw new ProtocolRangeException("no management protocol version in common: this client speaks "
                    + MgmtProtocol.MIN_VERSION + ".." + MgmtProtocol.VERSION + ", the daemon at " + socket
                    + " answers in version " + e.version(), e.version(), e.version());
        }
        if (r.version() == v || r.status() != MgmtResponse.INVALID_REQUEST) {
            daemonMax = Math.max(daemonMax, r.version());
            return r;
        }
        daemonMax = r.version();
        daemonMin = r.table().isEmpty() ? 1
                : r.table().get(0).get("mgmt.protocol.min_version").map(Integer::parseInt).orElse(1);
        int common = Math.min(MgmtProtocol.VERSION, daemonMax);
        if (common < Math.max(MgmtProtocol.MIN_VERSION, daemonMin)) {
            throw new ProtocolRangeException("no management protocol version in common: this client speaks "
                    + MgmtProtocol.MIN_VERSION + ".." + MgmtProtocol.VERSION + ", the daemon at " + socket + " speaks "
                    + daemonMin + ".." + daemonMax, daemonMin, daemonMax);
        }
        check(op, common, since);
        return call(new MgmtRequest(common, op, args));
    }

    private void check(String op, int v, int since) throws ProtocolRangeException {
        if (v < since) {
            throw new ProtocolRangeException("the daemon at " + socket + " speaks management protocol " + daemonMin + ".."
                    + daemonMax + "; " + op + " needs " + since, daemonMin, daemonMax);
        }
    }

    /**
     * One exchange at exactly {@code request.version()}.
     *
     * @throws ConnectException when no daemon listens on the socket
     * @throws SocketTimeoutException when the daemon did not answer in time
     * @throws UnsupportedVersionException when the answer is in a version this side does not speak
     * @throws MgmtProtocolException when the answer is not a valid frame
     */
    public MgmtResponse call(MgmtRequest request) throws IOException {
        return call(request, p -> { });
    }

    /** As {@link #call(MgmtRequest)}, telling {@code progress} each progress frame. */
    public MgmtResponse call(MgmtRequest request, Consumer<MgmtProgress> progress) throws IOException {
        ByteBuffer send = MgmtProtocol.encodeRequest(request);
        Duration wait = request.version() >= 2 ? waits.firstFrame() : waits.version1Answer();
        long deadline = System.nanoTime() + wait.toNanos();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (SocketException e) {
                ConnectException c = new ConnectException("no daemon answers on " + socket + ": " + e.getMessage());
                c.initCause(e);
                throw c;
            }
            ch.configureBlocking(false);
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            ByteBuffer in = ByteBuffer.allocate(8192);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("no answer from the daemon on " + socket + " within "
                            + wait.toMillis() + " ms");
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                if (send.hasRemaining() && key.isValid() && key.isWritable()) {
                    ch.write(send);
                    if (!send.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    continue;
                }
                if (!key.isValid() || !key.isReadable()) {
                    continue;
                }
                if (!in.hasRemaining()) {
                    in = grow(in);
                }
                int n = ch.read(in);
                while (true) {
                    Object frame = nextFrame(in);
                    if (frame == null) {
                        break;
                    }
                    if (frame instanceof MgmtResponse r) {
                        return r;
                    }
                    MgmtProgress p = (MgmtProgress) frame;
                    progress.accept(p);
                    wait = p.dueWithin().plus(waits.margin());
                    deadline = System.nanoTime() + wait.toNanos();
                }
                if (n < 0) {
                    throw new EOFException("the daemon on " + socket + " closed the connection without an answer");
                }
            }
        }
    }

    private static ByteBuffer grow(ByteBuffer in) {
        ByteBuffer b = ByteBuffer.allocate(in.capacity() * 2);
        return b.put(in.flip());
    }

    /** The next whole frame at the start of {@code in} (in write mode), removed from it; null when more bytes are needed. */
    private static Object nextFrame(ByteBuffer in) throws MgmtProtocolException {
        if (in.position() < FrameHeader.SIZE) {
            return null;
        }
        FrameHeader h = FrameHeader.read(in.duplicate().flip());
        int length = h.checkedLength(MgmtProtocol.MAX_PAYLOAD);
        if (in.position() < FrameHeader.SIZE + length) {
            return null;
        }
        in.flip();
        in.position(FrameHeader.SIZE);
        ByteBuffer payload = ByteBuffer.allocate(length);
        payload.put(in.slice().limit(length)).flip();
        in.position(FrameHeader.SIZE + length);
        in.compact();
        if (!h.spoken()) {
            throw new UnsupportedVersionException(h.version());
        }
        return switch (h.kind()) {
            case MgmtProtocol.KIND_RESPONSE -> MgmtProtocol.decodeResponse(h, payload);
            case MgmtProtocol.KIND_PROGRESS -> MgmtProtocol.decodeProgress(h, payload);
            default -> throw new MgmtProtocolException("expected a response frame, got " + MgmtProtocol.kindName(h.kind()));
        };
    }
}
