package org.kiscsi.testkit.peers;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kiscsi.api.Portal;

/**
 * A portal whose TCP SYNs vanish: a connect to it neither succeeds nor is refused, it times out
 * (open-iscsi's ISCSI_ERR_TRANS_TIMEOUT, exit code 8). Built in a network namespace of the test's
 * own ({@code ip netns add kiscsi-drop-<pid>-<n>}) joined to the host by a veth pair with a /30 of
 * 198.18.0.0/15 (RFC 2544's benchmarking range, never routed): the host side gets {@code .1}, the
 * namespace side {@code .2}, and an nftables rule inside the namespace drops every SYN to the
 * portal's port. Nothing on the host's own firewall or routes changes; other ports of the
 * namespace address answer with RST, which shows the address is reachable.
 * <p>
 * {@link #close()} deletes the namespace (which takes the veth pair with it); so does the JVM's
 * shutdown hook if nobody closed it, and every {@link #create} first removes what runs of dead
 * processes left behind (names carry the creating pid). Needs root and the packages iproute2 and
 * nftables; without them {@link #create} fails saying so.
 */
public final class DroppingPortal implements AutoCloseable {
    public static final String NAMESPACE_PREFIX = "kiscsi-drop-";
    /** veth names: "kd" + 6 hex digits of the pid + 2 of the sequence + h (host) or n (namespace); IFNAMSIZ allows 15. */
    private static final Pattern LINK = Pattern.compile("kd([0-9a-f]{6})([0-9a-f]{2})[hn]");
    private static final Pattern NAMESPACE = Pattern.compile(Pattern.quote(NAMESPACE_PREFIX) + "(\\d+)-(\\d+)");
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
    /** 198.18.0.0/15 holds 2^15 blocks of four addresses. */
    private static final int BLOCKS = 1 << 15;
    private static final long RANGE_BASE = (198L << 24) | (18L << 16);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final System.Logger LOG = System.getLogger(DroppingPortal.class.getName());

    private final String namespace;
    private final String hostLink;
    private final String hostAddress;
    private final String address;
    private final int port;
    private final ShutdownCleanup.Handle cleanup;
    private boolean closed;

    private DroppingPortal(String namespace, String hostLink, String hostAddress, String address, int port) {
        this.namespace = namespace;
        this.hostLink = hostLink;
        this.hostAddress = hostAddress;
        this.address = address;
        this.port = port;
        this.cleanup = ShutdownCleanup.register("delete network namespace " + namespace, () -> remove(namespace, hostLink));
    }

    /** A dropping portal on iSCSI's well-known port 3260. */
    public static DroppingPortal create() {
        return create(3260);
    }

    /** A dropping portal on {@code port}: SYNs to that port of {@link #address()} are dropped. */
    public static DroppingPortal create(int port) {
        requireRootAndTools();
        removeLeftovers();
        long pid = ProcessHandle.current().pid();
        int seq = SEQUENCE.incrementAndGet() & 0xff;
        String namespace = NAMESPACE_PREFIX + pid + "-" + seq;
        String link = String.format("kd%06x%02x", pid & 0xffffff, seq);
        String hostLink = link + "h";
        String nsLink = link + "n";
        long base = freeBlock(pid, seq);
        String hostAddress = dotted(base + 1);
        String address = dotted(base + 2);
        try {
            ip("netns", "add", namespace);
            ip("link", "add", hostLink, "type", "veth", "peer", "name", nsLink, "netns", namespace);
            ip("addr", "add", hostAddress + "/30", "dev", hostLink);
            ip("link", "set", hostLink, "up");
            ip("-n", namespace, "addr", "add", address + "/30", "dev", nsLink);
            ip("-n", namespace, "link", "set", nsLink, "up");
            ip("-n", namespace, "link", "set", "lo", "up");
            dropSyns(namespace, port);
        } catch (RuntimeException e) {
            try {
                remove(namespace, hostLink);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        LOG.log(Level.DEBUG, "dropping portal {0}:{1} in namespace {2} (host side {3} on {4})", address, port, namespace,
                hostAddress, hostLink);
        return new DroppingPortal(namespace, hostLink, hostAddress, address, port);
    }

    /** The namespace-side address the portal is on (reachable from the host). */
    public String address() {
        return address;
    }

    /** The host side of the veth pair. */
    public String hostAddress() {
        return hostAddress;
    }

    public int port() {
        return port;
    }

    public String namespace() {
        return namespace;
    }

    /** {@code 198.18.x.y:port}. */
    public String hostPort() {
        return address + ":" + port;
    }

    public Portal portal() {
        return Portal.of(address, port, 1);
    }

    /**
     * Deletes namespaces and veth links that runs of processes no longer alive left behind; returns
     * how many namespaces it deleted. Those of live processes (parallel runs) are left alone.
     */
    public static int removeLeftovers() {
        int removed = 0;
        for (String line : Commands.check(ipCommand("netns", "list")).stdout().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            Matcher m = NAMESPACE.matcher(name);
            if (m.matches() && !alive(Long.parseLong(m.group(1)))) {
                CommandResult r = Commands.run(ipCommand("netns", "delete", name));
                if (r.succeeded()) {
                    removed++;
                    LOG.log(Level.INFO, "removed network namespace {0} left by an earlier run", name);
                }
            }
        }
        for (String line : Commands.check(ipCommand("-o", "link", "show")).stdout().split("\n")) {
            String[] parts = line.split(":\\s+", 3);
            if (parts.length < 2) {
                continue;
            }
            String name = parts[1].split("@")[0];
            Matcher m = LINK.matcher(name);
            if (m.matches() && !alive(Long.parseLong(m.group(1), 16))) {
                Commands.run(ipCommand("link", "delete", name));
            }
        }
        return removed;
    }

    /** Whether the namespace still exists (false after {@link #close()}). */
    public boolean exists() {
        return namespaceExists(namespace);
    }

    static boolean namespaceExists(String name) {
        for (String line : Commands.check(ipCommand("netns", "list")).stdout().split("\n")) {
            if (line.strip().split("\\s+")[0].equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        remove(namespace, hostLink);
        cleanup.done();
    }

    private static void remove(String namespace, String hostLink) {
        if (namespaceExists(namespace)) {
            Commands.check(ipCommand("netns", "delete", namespace).withTimeout(STEP_TIMEOUT));
        }
        // deleting the namespace destroys the pair; a half-made one may still have its host end
        Commands.run(ipCommand("link", "delete", hostLink));
    }

    private static void dropSyns(String namespace, int port) {
        String rules = "table inet kiscsi_drop {\n"
                + "  chain input {\n"
                + "    type filter hook input priority 0; policy accept;\n"
                + "    tcp dport " + port + " tcp flags & (syn | ack) == syn drop\n"
                + "  }\n"
                + "}\n";
        Path file = null;
        try {
            file = Files.createTempFile("kiscsi-drop-", ".nft");
            Files.writeString(file, rules);
            Commands.check(ipCommand("netns", "exec", namespace, Tool.NFT.path().toString(), "-f", file.toString()));
        } catch (IOException e) {
            throw new PeerException("cannot write the nftables rules for namespace " + namespace + ": " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot delete " + file + ": " + e.getMessage());
                }
            }
        }
    }

    private static void ip(String... args) {
        Commands.check(ipCommand(args));
    }

    private static Command ipCommand(String... args) {
        return Command.of(Tool.IP, args).withTimeout(STEP_TIMEOUT);
    }

    /** A /30 of 198.18.0.0/15 no address of this host lies in, starting from one derived from pid and sequence. */
    private static long freeBlock(long pid, int seq) {
        List<Long> used = new ArrayList<>();
        for (String line : Commands.check(ipCommand("-4", "-o", "addr", "show")).stdout().split("\n")) {
            Matcher m = Pattern.compile("inet (\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)/").matcher(line);
            if (m.find()) {
                used.add((Long.parseLong(m.group(1)) << 24) | (Long.parseLong(m.group(2)) << 16) | (Long.parseLong(m.group(3)) << 8)
                        | Long.parseLong(m.group(4)));
            }
        }
        int start = (int) Math.floorMod(pid * 1009 + seq * 7919L, BLOCKS);
        for (int i = 0; i < BLOCKS; i++) {
            long base = RANGE_BASE + 4L * ((start + i) % BLOCKS);
            if (used.stream().noneMatch(a -> a >= base && a < base + 4)) {
                return base;
            }
        }
        throw new PeerException("no free /30 left in 198.18.0.0/15 on this host");
    }

    private static String dotted(long a) {
        return (a >> 24 & 0xff) + "." + (a >> 16 & 0xff) + "." + (a >> 8 & 0xff) + "." + (a & 0xff);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void requireRootAndTools() {
        Optional<Long> uid = effectiveUid();
        if (uid.isPresent() && uid.get() != 0) {
            throw new PeerException("a dropping portal needs root (it creates a network namespace, a veth pair and an nftables rule; "
                    + "effective uid is " + uid.get() + "): run the tests as root as dev/test does");
        }
        Tool.require(Tool.IP, Tool.NFT);
    }

    /** The effective uid from /proc/self/status (empty where there is no /proc). */
    private static Optional<Long> effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Optional.of(Long.parseLong(line.substring(4).strip().split("\\s+")[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "cannot read the uid from /proc/self/status: " + e);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "dropping portal " + hostPort() + " (namespace " + namespace + ")";
    }
}
