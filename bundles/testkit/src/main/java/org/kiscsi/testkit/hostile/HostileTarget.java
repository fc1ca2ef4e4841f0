package org.kiscsi.testkit.hostile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.kiscsi.api.Portal;

/**
 * A target on 127.0.0.1 that replays a {@link SeedConversation} recorded from a real target to
 * whoever connects, and spoils one PDU of the replay as the {@linkplain #arm armed}
 * {@link Mutation} says. Logins, SCSI commands (matched by CDB), Data-Out, NOP-Out and Logout get
 * the recorded answers, carried over to the live conversation; task management requests are
 * answered "function complete" unless a test {@linkplain #answerTaskManagement says otherwise}.
 * Every connection starts the replay from its login, so an initiator that recovers gets a fresh
 * conversation. One thread per connection; {@link #close()} ends them.
 *
 * <pre>{@code
 * try (HostileTarget t = HostileTarget.start(SeedConversation.resource(MyTest.class, "tgtd-login-io.pdus"))) {
 *     t.arm(new Mutation(Mutation.Kind.BAD_OPCODE, 3, 1));
 *     // log in to t.portal(1), run the recorded I/O, check the initiator's reaction
 * }
 * }</pre>
 */
public final class HostileTarget implements AutoCloseable {
    private final ReplayBook book;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<ReplayConnection> live = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Map<String, String> textOverrides = new ConcurrentHashMap<>();
    private final List<String> unmatched = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();
    private final Map<Integer, List<Forged.Forge>> injections = new ConcurrentHashMap<>();
    private final Map<Integer, Forged.Edit> edits = new ConcurrentHashMap<>();
    private volatile String mutualSecret;
    private volatile boolean reflectChallenges;
    private volatile String initiatorChallenge;
    private volatile Mutation armed;
    private volatile Mutation armedTaskManagement;
    private volatile Forged.Answer taskManagementAnswer;
    private final AtomicInteger taskManagementRequests = new AtomicInteger();
    private volatile long spoiledAt;
    private volatile long spoiledConnectionEndedAt;

    private HostileTarget(ReplayBook book, ServerSocket server) {
        this.book = book;
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "hostile-target-" + server.getLocalPort());
        acceptor.setDaemon(true);
    }

    public static HostileTarget start(SeedConversation seeds) throws IOException {
        ReplayBook book = new ReplayBook(seeds);
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        HostileTarget t = new HostileTarget(book, s);
        t.acceptor.start();
        return t;
    }

    public Portal portal(int tpgt) {
        return Portal.of("127.0.0.1", server.getLocalPort(), tpgt);
    }

    /** Login responses say {@code key=value} where the recorded target said another value of {@code key}. */
    public HostileTarget overrideLoginKey(String key, String value) {
        textOverrides.put(key, value);
        return this;
    }

    /**
     * After the {@code afterPdu}-th PDU it counts (as {@link #arm} counts them) the target sends what
     * {@code forge} builds: an asynchronous message, a NOP-In, a Reject, ... A forged PDU whose
     * StatSN is the live one (async message, Reject) advances it.
     */
    public HostileTarget inject(int afterPdu, Forged.Forge forge) {
        injections.computeIfAbsent(afterPdu, k -> new CopyOnWriteArrayList<>()).add(forge);
        return this;
    }

    /**
     * Every PDU with this opcode the target sends (replayed, or its own answer to task management)
     * goes through {@code edit} first: Text Responses that never end, task management answers with
     * other response codes, ...
     */
    public HostileTarget edit(int opcode, Forged.Edit edit) {
        edits.put(opcode, edit);
        return this;
    }

    /**
     * Task management requests are answered with what {@code answer} makes instead of one "function
     * complete" (the PDUs go through an {@link #edit} of their opcode, and {@link #spoilTaskManagement}
     * spoils the first of them).
     */
    public HostileTarget answerTaskManagement(Forged.Answer answer) {
        this.taskManagementAnswer = answer;
        return this;
    }

    /**
     * Spoils the first answer PDU to the {@code mutation.pduIndex()}-th task management request (from 0)
     * of this target, counted over all its connections, as {@link #arm} spoils the replay's PDUs.
     */
    public synchronized HostileTarget spoilTaskManagement(Mutation mutation) {
        spoiledAt = 0;
        spoiledConnectionEndedAt = 0;
        armedTaskManagement = mutation;
        return this;
    }

    /** Task management requests received, over all connections. */
    public int taskManagementRequests() {
        return taskManagementRequests.get();
    }

    /**
     * Mutual CHAP: the target's CHAP_R is computed for the initiator's live challenge with this secret
     * (the recorded one answered another challenge).
     */
    public HostileTarget mutualChapSecret(String secret) {
        this.mutualSecret = secret;
        return this;
    }

    /**
     * Reflection: a login that sends a CHAP_C gets no answer (it stays pending), and the next login
     * is challenged with that very CHAP_C.
     */
    public HostileTarget reflectChallenges() {
        this.reflectChallenges = true;
        return this;
    }

    /** Whether a login sent the CHAP_C that the next login is to be challenged with. */
    public boolean holdsAChallengeToReflect() {
        return initiatorChallenge != null;
    }

    boolean overridden(String key) {
        return textOverrides.containsKey(key);
    }

    String mutualSecret() {
        return mutualSecret;
    }

    boolean reflecting() {
        return reflectChallenges;
    }

    String initiatorChallenge() {
        return initiatorChallenge;
    }

    void initiatorChallenge(String c) {
        initiatorChallenge = c;
    }

    Forged.Answer taskManagementAnswer() {
        return taskManagementAnswer;
    }

    /** Counts a task management request; the mutation for its first answer PDU, or null. */
    synchronized Mutation taskManagementRequest() {
        int n = taskManagementRequests.getAndIncrement();
        Mutation m = armedTaskManagement;
        if (m != null && n == m.pduIndex() && spoiledAt == 0) {
            spoiledAt = System.nanoTime();
            return m;
        }
        return null;
    }

    Forged.Edit editFor(int opcode) {
        return edits.get(opcode);
    }

    List<Forged.Forge> injectionsAfter(int pdu) {
        return injections.getOrDefault(pdu, List.of());
    }

    /**
     * Spoils the {@code mutation.pduIndex()}-th PDU the target sends from now on (login responses
     * included, NOP-In answers and task management responses not counted); null: none. The
     * previous mutation's outcome is forgotten.
     */
    public synchronized void arm(Mutation mutation) {
        sent.set(0);
        spoiledAt = 0;
        spoiledConnectionEndedAt = 0;
        armed = mutation;
    }

    /** Whether the armed mutation spoiled a PDU yet. */
    public boolean spoiled() {
        return spoiledAt != 0;
    }

    /**
     * Whether the connection that carried the spoiled PDU was closed by the initiator (not by the
     * target, as after a truncation that closes).
     */
    public boolean initiatorClosedSpoiledConnection() {
        return spoiledConnectionEndedAt != 0;
    }

    /** Requests nothing recorded answers (they get no answer). */
    public List<String> unmatched() {
        return List.copyOf(unmatched);
    }

    public int connectionsAccepted() {
        return accepted.get();
    }

    public int openConnections() {
        return live.size();
    }

    /** Counts a PDU about to be sent; returns its index. */
    synchronized int count() {
        return sent.getAndIncrement();
    }

    /** The mutation when the counted PDU {@code n} is the one to spoil, else null. */
    synchronized Mutation mutationFor(int n) {
        Mutation m = armed;
        if (m != null && n == m.pduIndex() && spoiledAt == 0) {
            spoiledAt = System.nanoTime();
            return m;
        }
        return null;
    }

    void spoiledConnectionEnded() {
        spoiledConnectionEndedAt = System.nanoTime();
    }

    void unmatched(String what) {
        unmatched.add(what);
    }

    void ended(ReplayConnection c) {
        live.remove(c);
    }

    byte[] overrideText(byte[] data) {
        if (textOverrides.isEmpty() || data.length == 0) {
            return data;
        }
        StringBuilder out = new StringBuilder();
        for (String pair : new String(data, StandardCharsets.UTF_8).split("\0")) {
            int eq = pair.indexOf('=');
            String v = eq > 0 ? textOverrides.get(pair.substring(0, eq)) : null;
            out.append(v == null ? pair : pair.substring(0, eq + 1) + v).append('\0');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                ReplayConnection c = new ReplayConnection(this, book, s);
                live.add(c);
                Thread t = new Thread(c, "hostile-target-" + server.getLocalPort() + "-c" + accepted.getAndIncrement());
                t.setDaemon(true);
                threads.removeIf(x -> !x.isAlive());
                threads.add(t);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Drops every connection (the listener stays). */
    public void dropConnections() {
        live.forEach(ReplayConnection::close);
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
        try {
            acceptor.join(5000);
            for (Thread t : threads) {
                t.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
