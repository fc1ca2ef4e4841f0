package org.kiscsi.testkit.target;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.kiscsi.api.Portal;
import org.kiscsi.protocol.pdu.InitiatorPdu;

/**
 * An iSCSI target in the test JVM on a free loopback port. One target name, any number of RAM LUNs,
 * and knobs for the behaviour tests need. Thread per connection; everything bounded; close() stops
 * it all.
 */
public final class TestTarget implements AutoCloseable {
    private final String name;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final Map<Integer, RamLun> luns = new ConcurrentHashMap<>();
    final List<InitiatorPdu> received = new CopyOnWriteArrayList<>();
    final AtomicInteger logins = new AtomicInteger();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final AtomicInteger nextTsih = new AtomicInteger(0x100);

    // knobs
    volatile Portal redirectTo;
    volatile boolean redirectPermanent;
    volatile boolean redirectEveryLogin;
    volatile int refuseStatus;
    final Map<String, String> answerOverrides = new ConcurrentHashMap<>();
    final Map<String, String> ownValues = new ConcurrentHashMap<>();
    volatile boolean declareMaxRecv = true;
    volatile int pendingUnitAttention = -1;
    volatile int reorderWindow = 1;
    volatile boolean separateStatus;
    volatile boolean ignoreCommands;
    volatile byte[] rawAfterLogin;
    volatile int commandWindow = 64;
    volatile String aliasToDeclare = "kiscsi-testkit";

    private TestTarget(String name, ServerSocket server) {
        this.name = name;
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "test-target-" + server.getLocalPort());
        acceptor.setDaemon(true);
        ownValues.put("MaxRecvDataSegmentLength", "65536");
        ownValues.put("MaxBurstLength", "262144");
        ownValues.put("FirstBurstLength", "65536");
        ownValues.put("InitialR2T", "Yes");
        ownValues.put("ImmediateData", "Yes");
        ownValues.put("DefaultTime2Retain", "20");
    }

    /** Starts a target named {@code name} on 127.0.0.1 (or ::1 when {@code ipv6}) with LUN 0 of {@code blocks} blocks. */
    public static TestTarget start(String name, int blocks, boolean ipv6) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName(ipv6 ? "::1" : "127.0.0.1"), 0), 16);
        TestTarget t = new TestTarget(name, s);
        t.luns.put(0, new RamLun(blocks));
        t.acceptor.start();
        return t;
    }

    public static TestTarget start(String name, int blocks) throws IOException {
        return start(name, blocks, false);
    }

    public String name() {
        return name;
    }

    public Portal portal() {
        return Portal.of(server.getInetAddress().getHostAddress().replaceFirst("%.*$", ""), server.getLocalPort(), 1);
    }

    public RamLun lun(int lun) {
        return luns.get(lun);
    }

    public TestTarget addLun(int lun, int blocks) {
        luns.put(lun, new RamLun(blocks));
        return this;
    }

    /** Every PDU the initiator sent, in order. */
    public List<InitiatorPdu> received() {
        return received;
    }

    /** Why connections ended other than by a clean close: for test diagnostics. */
    public List<Throwable> errors() {
        return errors;
    }

    public int logins() {
        return logins.get();
    }

    /** Answers the next login with status 0x0101 (or 0x0102) and TargetAddress = {@code to}. */
    public TestTarget redirect(Portal to, boolean permanent) {
        this.redirectTo = to;
        this.redirectPermanent = permanent;
        return this;
    }

    /** Answers every login (not just the next) with a redirection to {@code to}. */
    public TestTarget redirectEveryLogin(Portal to) {
        this.redirectTo = to;
        this.redirectPermanent = true;
        this.redirectEveryLogin = true;
        return this;
    }

    /** Refuses logins with this Status-Class/Detail (0 to accept again). */
    public TestTarget refuseLogins(int status) {
        this.refuseStatus = status;
        return this;
    }

    /** Answers {@code key} with {@code value} whatever was offered (e.g. Reject, or a value breaking the rules). */
    public TestTarget answer(String key, String value) {
        answerOverrides.put(key, value);
        return this;
    }

    /** The target's own value of a negotiable key (used with the RFC merge rules). */
    public TestTarget own(String key, String value) {
        ownValues.put(key, value);
        return this;
    }

    /** Whether the target declares its MaxRecvDataSegmentLength (tgtd does not). */
    public TestTarget declareMaxRecvDataSegmentLength(boolean declare) {
        this.declareMaxRecv = declare;
        return this;
    }

    /** The next SCSI command gets CHECK CONDITION, UNIT ATTENTION with this ASC/ASCQ. */
    public TestTarget raiseUnitAttention(int asc, int ascq) {
        this.pendingUnitAttention = asc << 8 | ascq;
        return this;
    }

    /** Holds completed commands until {@code n} are done, then answers them in reverse order. */
    public TestTarget reorder(int n) {
        this.reorderWindow = n;
        return this;
    }

    /** Sends status in a SCSI Response after the Data-In instead of in the last Data-In. */
    public TestTarget separateStatus(boolean separate) {
        this.separateStatus = separate;
        return this;
    }

    /** Never answers SCSI commands (task management is still answered). */
    public TestTarget ignoreCommands(boolean ignore) {
        this.ignoreCommands = ignore;
        return this;
    }

    /** Bytes written raw to the connection right after a successful login. */
    public TestTarget sendAfterLogin(byte[] raw) {
        this.rawAfterLogin = raw;
        return this;
    }

    /** How many commands the CmdSN window lets the initiator have queued (MaxCmdSN - ExpCmdSN + 1). */
    public TestTarget commandWindow(int n) {
        this.commandWindow = n;
        return this;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                sockets.add(s);
                Thread t = new Thread(new TargetConnection(this, s), "test-target-conn-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Drops every connection (as a crash of the target would) but keeps listening. */
    public void dropConnections() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        sockets.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
