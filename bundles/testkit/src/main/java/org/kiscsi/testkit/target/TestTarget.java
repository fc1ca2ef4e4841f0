package org.kiscsi.testkit.target;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.kiscsi.api.Portal;
import org.kiscsi.protocol.pdu.AsyncMessage;
import org.kiscsi.protocol.pdu.Bhs;
import org.kiscsi.protocol.pdu.InitiatorPdu;
import org.kiscsi.protocol.pdu.LunField;
import org.kiscsi.protocol.pdu.NopOut;
import org.kiscsi.testkit.loopback.LoopbackEndpoint;
import org.kiscsi.testkit.loopback.LoopbackLink;
import org.kiscsi.testkit.loopback.LoopbackTransport;

/**
 * An iSCSI target in the test JVM on a free loopback port, and on any {@link LoopbackTransport} it is
 * {@linkplain #attach attached} to. One target name, any number of RAM LUNs, and knobs for the
 * behaviour tests need. Sessions are kept as a real target keeps them: a login with TSIH 0 and the
 * ISID of a live session of the same initiator reinstates that session (its connections are
 * closed, its commands dropped); a login with a TSIH adds a connection to that session, replacing
 * one with the same CID. Thread per connection; everything bounded; close() stops it all.
 */
public final class TestTarget implements AutoCloseable {
    /** How long after announcing a connection or session drop (async events 2, 3) the target drops it. */
    public static final Duration ASYNC_DROP_DELAY = Duration.ofMillis(200);

    private final String name;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<TargetConnection> connections = new CopyOnWriteArrayList<>();
    private final List<LoopbackEndpoint> endpoints = new CopyOnWriteArrayList<>();
    private final Map<Integer, TargetSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-target-timer");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> pinging; // guarded by this
    final List<LoginAttempt> loginAttempts = new CopyOnWriteArrayList<>();
    private final AtomicInteger nopOuts = new AtomicInteger();
    private final AtomicInteger pingsSent = new AtomicInteger();
    private final AtomicInteger pingReplies = new AtomicInteger();
    private final Set<Integer> pingsAwaited = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextPingTag = new AtomicInteger(0x5000_0000);
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
    private final Set<Integer> ignoredLuns = ConcurrentHashMap.newKeySet();
    private final AtomicInteger commandsToIgnore = new AtomicInteger();
    final Map<Integer, Integer> taskManagementAnswers = new ConcurrentHashMap<>();
    final Set<Integer> ignoredTaskManagement = ConcurrentHashMap.newKeySet();
    final AtomicBoolean stallAfterLogin = new AtomicBoolean();
    volatile byte[] rawAfterLogin;
    volatile int commandWindow = 64;
    volatile String aliasToDeclare = "kiscsi-testkit";
    final TargetChap chap = new TargetChap();
    volatile byte[] sendTargetsAnswer;
    volatile int textPduSize;
    volatile int textPdusBeforeStall = -1;
    volatile int textPdusBeforeClose = -1;
    volatile int loginPdusBeforeStall = -1;

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

    /** Never answers the next {@code n} SCSI commands (task management for them is answered as set). */
    public TestTarget ignoreNextCommands(int n) {
        commandsToIgnore.set(n);
        return this;
    }

    /** Never answers SCSI commands to {@code lun} from now on (task management is still answered). */
    public TestTarget ignoreCommandsFor(int lun) {
        ignoredLuns.add(lun);
        return this;
    }

    /**
     * Answers task management function {@code function} (RFC 7143 11.5.1: 1 ABORT TASK ... 6 TARGET
     * WARM RESET) with {@code response} (11.6.1: 0 function complete, 1 task does not exist, 5
     * function not supported, 255 rejected...). Every function is answered 0 unless set here; only
     * an answer 0 has an effect on the commands the target holds.
     */
    public TestTarget taskManagementAnswers(int function, int response) {
        taskManagementAnswers.put(function, response);
        return this;
    }

    /** Whether to leave task management function {@code function} unanswered (and without effect). */
    public TestTarget ignoreTaskManagement(int function, boolean ignore) {
        if (ignore) {
            ignoredTaskManagement.add(function);
        } else {
            ignoredTaskManagement.remove(function);
        }
        return this;
    }

    /**
     * After the next login completes, that connection reads and answers nothing more (NOP-Outs
     * included) and sends nothing of its own, but stays open until it is closed: by the initiator
     * (noticed at once on a loopback link; on a socket only when the target closes), by
     * {@link #dropConnections()} or {@link #close()}.
     */
    public TestTarget stallAfterLogin(boolean stall) {
        stallAfterLogin.set(stall);
        return this;
    }

    /**
     * What a {@code SendTargets} request is answered with, raw (nulls included, so a test can send a
     * cut-off or malformed list); null: this target's name and portal, as tgtd answers.
     */
    public TestTarget sendTargetsAnswer(byte[] answer) {
        this.sendTargetsAnswer = answer == null ? null : answer.clone();
        return this;
    }

    /** The same, from text where {@code '\0'} is written as {@code |}. */
    public TestTarget sendTargetsAnswer(String barSeparated) {
        return sendTargetsAnswer(barSeparated.replace('|', '\0').getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Splits Text answers into PDUs of at most {@code bytes} data bytes (0: as few as the initiator's
     * MaxRecvDataSegmentLength allows): a PDU ending inside a key=value has the C bit, one ending after
     * a null has F=0; each carries a target transfer tag the initiator must send back to get the rest.
     */
    public TestTarget textPduSize(int bytes) {
        this.textPduSize = bytes;
        return this;
    }

    /** After sending {@code n} Text Response PDUs a connection stalls (see {@link #stallAfterLogin}); negative: never. */
    public TestTarget stallTextAfter(int n) {
        this.textPdusBeforeStall = n;
        return this;
    }

    /** After sending {@code n} Text Response PDUs a connection closes instead of sending more; negative: never. */
    public TestTarget closeTextAfter(int n) {
        this.textPdusBeforeClose = n;
        return this;
    }

    /** After answering {@code n} Login PDUs of a login, that connection stalls; negative: never. */
    public TestTarget stallLoginAfter(int n) {
        this.loginPdusBeforeStall = n;
        return this;
    }

    /**
     * Pings every connection in full feature phase at this interval with a NOP-In asking for an
     * answer (ITT 0xffffffff, a TTT of its own); {@link Duration#ZERO} stops pinging.
     */
    public synchronized TestTarget nopInInterval(Duration interval) {
        if (pinging != null) {
            pinging.cancel(false);
            pinging = null;
        }
        if (!interval.isZero() && !interval.isNegative()) {
            long ms = Math.max(1, interval.toMillis());
            pinging = timer.scheduleAtFixedRate(this::pingAll, ms, ms, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** NOP-Outs received on any connection, pings and answers to the target's pings alike. */
    public int nopOutsSeen() {
        return nopOuts.get();
    }

    /** NOP-Ins the target sent as pings ({@link #nopInInterval}). */
    public int pingsSent() {
        return pingsSent.get();
    }

    /** NOP-Outs that answered one of the target's pings (ITT 0xffffffff, the ping's TTT). */
    public int pingRepliesSeen() {
        return pingReplies.get();
    }

    /** Every login, in the order their first Login Request came, redirected and refused ones included. */
    public List<LoginAttempt> loginAttempts() {
        return List.copyOf(loginAttempts);
    }

    /** ITTs of SCSI commands received and not answered: ignored by a knob, or writes still waiting for data. */
    public List<Integer> unansweredCommands() {
        List<Integer> itts = new ArrayList<>();
        for (TargetConnection c : connections) {
            itts.addAll(c.unansweredCommands());
        }
        return itts;
    }

    /**
     * Sends an Asynchronous Message (RFC 7143 11.9) with LUN field 0 to every connection in full
     * feature phase now; see {@link #sendAsyncMessage(int, int, int, int, int)}.
     *
     * @return how many connections it was sent to
     */
    public int sendAsyncMessage(int asyncEvent, int parameter1, int parameter2, int parameter3) {
        return sendAsyncMessage(0, asyncEvent, parameter1, parameter2, parameter3);
    }

    /**
     * Sends an Asynchronous Message about {@code lun} to every connection in full feature phase now
     * (stalled connections excepted), with an empty data segment. Events: 1 logout requested
     * (Parameter3: seconds to log out within); 2 connection drop (Parameter2 Time2Wait, Parameter3
     * Time2Retain): the target closes each connection {@link #ASYNC_DROP_DELAY} later unless it ended
     * first; 3 session drop: the same for every connection of each session; 4 parameter
     * negotiation requested; 5 all tasks on {@code lun} terminated: the target forgets them at once.
     * For event 0 use {@link #sendScsiAsyncEvent}.
     *
     * @return how many connections it was sent to
     */
    public int sendAsyncMessage(int lun, int asyncEvent, int parameter1, int parameter2, int parameter3) {
        int sent = 0;
        List<TargetConnection> toDrop = new ArrayList<>();
        for (TargetConnection c : connections) {
            if (c.sendAsync(LunField.encode(lun), asyncEvent, parameter1, parameter2, parameter3, null)) {
                sent++;
                if (asyncEvent == AsyncMessage.CONNECTION_DROP) {
                    toDrop.add(c);
                } else if (asyncEvent == AsyncMessage.SESSION_DROP) {
                    toDrop.addAll(sessionOf(c));
                }
            }
        }
        if (asyncEvent == 5) {
            dropCommands(lun);
        }
        if (!toDrop.isEmpty()) {
            timer.schedule(() -> toDrop.forEach(TargetConnection::close), ASYNC_DROP_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
        return sent;
    }

    /**
     * Sends a SCSI asynchronous event (Asynchronous Message event 0) about {@code lun} with this sense
     * data to every connection in full feature phase now.
     *
     * @return how many connections it was sent to
     */
    public int sendScsiAsyncEvent(int lun, byte[] sense) {
        int sent = 0;
        for (TargetConnection c : connections) {
            ByteBuffer data = ByteBuffer.allocate(2 + sense.length);
            data.putShort((short) sense.length).put(sense).flip();
            if (c.sendAsync(LunField.encode(lun), AsyncMessage.SCSI_EVENT, 0, 0, 0, data)) {
                sent++;
            }
        }
        return sent;
    }

    // ------------------------------------------------------------------ CHAP

    /**
     * Requires CHAP (RFC 7143 section 12.1.3) of normal sessions' logins with this account. The
     * security stage then goes: AuthMethod with CHAP in the list, answered AuthMethod=CHAP; the
     * initiator's CHAP_A list, answered with the first of its values the target supports
     * ({@link #chapAlgorithms}), CHAP_I (a random byte) and CHAP_C (random, as long as the digest);
     * CHAP_N and CHAP_R = H(CHAP_I ‖ secret ‖ CHAP_C), in {@code 0x} hex or {@code 0b} base64. The
     * stage ends (T bit, NSG 1) only after that, and only when the initiator asked for it. Anything
     * else (no CHAP offered, no algorithm in common, a wrong name or response, an operational-stage
     * request before authenticating, CHAP_I and CHAP_C with no {@link #mutualChap} account) ends the
     * login with status 0x0201 (authentication failure), as LIO and tgt do, and closes the connection.
     */
    public TestTarget requireChap(String user, String secret) {
        chap.normalInitiator = new ChapAccount(user, secret);
        return this;
    }

    /** {@link #requireChap} for discovery sessions (SessionType=Discovery): their own account, as tgt's and LIO's. */
    public TestTarget requireDiscoveryChap(String user, String secret) {
        chap.discoveryInitiator = new ChapAccount(user, secret);
        return this;
    }

    /**
     * Mutual CHAP for normal sessions: when the initiator sends CHAP_I and CHAP_C with its response,
     * the target answers CHAP_N = {@code targetUser} and CHAP_R = H(CHAP_I ‖ targetSecret ‖ CHAP_C)
     * in hex, with the digest of the exchange.
     */
    public TestTarget mutualChap(String targetUser, String targetSecret) {
        chap.normalTarget = new ChapAccount(targetUser, targetSecret);
        return this;
    }

    /** {@link #mutualChap} for discovery sessions. */
    public TestTarget mutualDiscoveryChap(String targetUser, String targetSecret) {
        chap.discoveryTarget = new ChapAccount(targetUser, targetSecret);
        return this;
    }

    /**
     * The CHAP_A values the target supports (5 MD5, 6 SHA-1, 7 SHA-256, 8 SHA3-256, or tgt's
     * numbering, see {@link #tgtChapNumbering}); by default all four, or 5 and 7 with tgt's
     * numbering. As RFC 7143 section 6.2 has it for lists, the initiator's order decides which one
     * is used: the first value of its CHAP_A that is in this set. Numbers naming no digest under the
     * numbering in force are never chosen.
     */
    public TestTarget chapAlgorithms(int... numbers) {
        chap.algorithms = Arrays.stream(numbers).boxed().toList();
        return this;
    }

    /**
     * Numbers CHAP_A as tgt (and IET) do: 5 MD5, 7 SHA-1, nothing else. Offered "7,5" meaning
     * SHA-256 first, such a target picks 7 and computes SHA-1, so an initiator's SHA-256 response
     * fails with 0x0201.
     */
    public TestTarget tgtChapNumbering(boolean tgt) {
        chap.tgtNumbering = tgt;
        return this;
    }

    /**
     * Behaves as the older targets that cannot parse a CHAP_A list: a CHAP_A with more than one
     * value ends the login with 0x0201 (authentication failure) and closes the connection, so the
     * initiator must log in again offering one value; a single value works as usual.
     */
    public TestTarget rejectChapAList(boolean reject) {
        chap.rejectAlgorithmList = reject;
        return this;
    }

    /** The target's CHAP_C is exactly these bytes in every login from now on (null: random again). */
    public TestTarget fixedChallenge(byte[] challenge) {
        chap.fixedChallenge = challenge == null ? null : challenge.clone();
        return this;
    }

    /**
     * A reflection attack on mutual CHAP: the target's CHAP_I and CHAP_C are the ones an initiator
     * sent it last (in an earlier login, see {@link #initiatorChallenges}), so an initiator that
     * answers hands over the response the target could not give then (the same secret both ways).
     * Random until an initiator has sent a challenge; {@link #fixedChallenge} takes precedence.
     */
    public TestTarget reflectChallenge(boolean reflect) {
        chap.reflectChallenge = reflect;
        return this;
    }

    /**
     * Mutual CHAP left unanswered: the target checks the initiator's response and ends the security
     * stage (T bit, NSG 1, when the initiator asked for it) without CHAP_N and CHAP_R.
     */
    public TestTarget skipMutualAnswer(boolean skip) {
        chap.skipMutualAnswer = skip;
        return this;
    }

    /** Answers mutual CHAP with this CHAP_N instead of the configured one (null: the configured one). */
    public TestTarget wrongTargetName(String name) {
        chap.wrongTargetName = name;
        return this;
    }

    /** Answers mutual CHAP with a CHAP_R that is off by one bit. */
    public TestTarget wrongTargetResponse(boolean wrong) {
        chap.wrongTargetResponse = wrong;
        return this;
    }

    /** The CHAP_A value of each CHAP login, as the initiator sent it (e.g. "7,5"), in order. */
    public List<String> chapAlgorithmsOffered() {
        return List.copyOf(chap.algorithmsOffered);
    }

    /** The CHAP_C values initiators sent for mutual CHAP, decoded, in order (copies). */
    public List<byte[]> initiatorChallenges() {
        return chap.initiatorChallenges.stream().map(byte[]::clone).toList();
    }

    /** How many logins failed CHAP (status 0x0201). */
    public int failedChapLogins() {
        return chap.failures.size();
    }

    /** Why each CHAP login failed, in order: for test diagnostics. */
    public List<String> chapFailures() {
        return List.copyOf(chap.failures);
    }

    /**
     * Serves this target on a new portal of {@code loopback} too: each connection made there runs
     * the same target logic as a socket's, over the in-memory link. The portal closes with the target.
     *
     * @return the portal to log in to through {@code loopback}
     */
    public Portal attach(LoopbackTransport loopback) {
        LoopbackEndpoint e = loopback.listen(link -> serve(new Wire(link.in(), link.out(), link, link::isOpen,
                link.initiatorAddress(), link.portal()), "test-target-loopback-" + link.initiatorAddress()));
        endpoints.add(e);
        return e.portal();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                serve(new Wire(s.getInputStream(), s.getOutputStream(), s, () -> !s.isClosed(),
                        String.valueOf(s.getRemoteSocketAddress()), portal()), "test-target-conn-" + s.getPort());
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Wire wire, String threadName) {
        TargetConnection c = new TargetConnection(this, wire);
        connections.add(c);
        Thread t = new Thread(c, threadName);
        t.setDaemon(true);
        t.start();
    }

    boolean ignores(int lun) {
        return ignoreCommands || ignoredLuns.contains(lun)
                || commandsToIgnore.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** Forgets the commands held for {@code lun} (all LUNs when negative) on every connection. */
    void dropCommands(int lun) {
        connections.forEach(c -> c.dropCommands(lun));
    }

    void nopOutSeen(NopOut n) {
        nopOuts.incrementAndGet();
        if (n.itt() == Bhs.RESERVED_TAG && pingsAwaited.remove(n.ttt())) {
            pingReplies.incrementAndGet();
        }
    }

    private void pingAll() {
        for (TargetConnection c : connections) {
            int ttt = nextPingTag.incrementAndGet();
            pingsAwaited.add(ttt);
            if (c.ping(ttt)) {
                pingsSent.incrementAndGet();
            } else {
                pingsAwaited.remove(ttt);
            }
        }
    }

    boolean hasSession(int tsih, long isid) {
        TargetSession s = sessions.get(tsih);
        return s != null && s.isid == isid;
    }

    /**
     * Puts a connection that completed its login into its session. TSIH 0 starts a new session,
     * reinstating (closing) a live one of the same initiator and ISID; a TSIH joins that session,
     * replacing a connection with the same CID.
     */
    synchronized TargetSession bind(TargetConnection c, String initiatorName, long isid, int tsih) {
        TargetSession s = tsih == 0 ? null : sessions.get(tsih);
        if (s == null) {
            for (TargetSession old : sessions.values()) {
                if (old.belongsTo(initiatorName, isid)) {
                    sessions.remove(old.tsih);
                    old.connections.forEach(o -> {
                        o.dropCommands(-1);
                        o.close();
                    });
                }
            }
            s = new TargetSession(initiatorName, isid, tsih == 0 ? nextTsih.incrementAndGet() : tsih);
            sessions.put(s.tsih, s);
        } else {
            for (TargetConnection o : s.connections) {
                if (o.cid() == c.cid()) {
                    o.dropCommands(-1);
                    o.close();
                }
            }
        }
        s.connections.add(c);
        return s;
    }

    /** A logout closing the session: its other connections go too. */
    synchronized void endSession(TargetSession s, TargetConnection loggingOut) {
        sessions.remove(s.tsih, s);
        s.connections.stream().filter(c -> c != loggingOut).forEach(TargetConnection::close);
    }

    synchronized void connectionEnded(TargetConnection c, TargetSession s) {
        connections.remove(c);
        if (s != null) {
            s.connections.remove(c);
            if (s.connections.isEmpty()) {
                sessions.remove(s.tsih, s);
            }
        }
    }

    private List<TargetConnection> sessionOf(TargetConnection c) {
        for (TargetSession s : sessions.values()) {
            if (s.connections.contains(c)) {
                return List.copyOf(s.connections);
            }
        }
        return List.of(c);
    }

    /** Connections open now (logged in or not). */
    public int openConnections() {
        return connections.size();
    }

    /** Drops every connection (as a crash of the target would) but keeps listening. */
    public void dropConnections() {
        connections.forEach(TargetConnection::close);
    }

    @Override
    public void close() throws IOException {
        server.close();
        endpoints.forEach(LoopbackEndpoint::close);
        timer.shutdownNow();
        dropConnections();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
