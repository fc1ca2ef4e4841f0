package org.kiscsi.auth.chap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.testkit.hostile.HostileTarget;
import org.kiscsi.testkit.hostile.LeakCheck;
import org.kiscsi.testkit.hostile.LeakCounts;
import org.kiscsi.testkit.hostile.Mutation;
import org.kiscsi.testkit.hostile.SeedConversation;
import org.kiscsi.testkit.peers.ChapCredentials;
import org.kiscsi.transport.tcp.TcpOptions;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * CHAP logins against a {@link HostileTarget} replaying tgtd's recorded CHAP logins (one-way and
 * mutual) with the target's CHAP values spoiled: wrong lengths, hex and base64 garbage, values far
 * too long, a reflected challenge, and every PDU mutation on the login responses. Every case ends
 * within the login timeout, a spoiled value fails the login as an authentication failure naming
 * the key, no secret appears in any message, and nothing is left behind (sessions, tasks,
 * connections, PDU buffers, threads, file descriptors).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class HostileChapIT {
    static final String INITIATOR = "iqn.2026-11.org.kiscsi.it:hostile-chap-initiator";
    static final String ONE_WAY = "iqn.2026-11.org.kiscsi.it:hostile-chap";
    static final String MUTUAL = "iqn.2026-11.org.kiscsi.it:hostile-mutual";
    static final ChapCredentials USER = new ChapCredentials("chapuser", "chapsecret-12");
    static final ChapCredentials MUTUAL_USER = new ChapCredentials("mutualuser", "mutualsecret1");
    static final ChapCredentials TARGET_USER = new ChapCredentials("targetuser", "targetsecret1");
    static final String ONE_WAY_SEEDS = "tgtd-chap.pdus";
    static final String MUTUAL_SEEDS = "tgtd-chap-mutual.pdus";
    private static SeedConversation oneWayConversation;
    private static SeedConversation mutualConversation;
    /** Login 3 s, logout 2 s, with room for a loaded machine. */
    private static final long OPERATION_BOUND_S = 20;
    private static final String HUGE_HEX = "0x" + "ab".repeat(4000);

    private static TcpTransport tcp;
    private static IscsiEngine engine;
    private static LeakCheck check;

    @BeforeAll
    static void start() {
        oneWayConversation = SeedConversation.resource(HostileChapIT.class, ONE_WAY_SEEDS);
        mutualConversation = SeedConversation.resource(HostileChapIT.class, MUTUAL_SEEDS);
        tcp = new TcpTransport(TcpOptions.DEFAULTS.withIoThreads(2));
        LeakCounts.Watching watching = new LeakCounts.Watching(tcp);
        engine = IscsiEngine.builder().initiatorName(INITIATOR).transport(watching).authenticator(new ChapAuthenticatorFactory()).build();
        check = new LeakCheck(watching, () -> engine.sessions().size(), engine::tasksHeld, Duration.ofSeconds(OPERATION_BOUND_S));
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
            tcp.close();
        }
    }

    static NodeRecord oneWayRecord(Portal portal) {
        return NodeRecord.create(new NodeKey(IscsiName.of(ONE_WAY), portal, null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "3").with(NodeKeys.LOGOUT_TIMEOUT, "2").with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0")
                .with(NodeKeys.DEFAULT_TIME2WAIT, "0").with(NodeKeys.CHAP_ALGS, "MD5").with(NodeKeys.AUTH_METHOD, "CHAP")
                .with(NodeKeys.USERNAME, USER.user()).with(NodeKeys.PASSWORD, USER.secret()));
    }

    static NodeRecord mutualRecord(Portal portal) {
        return mutualRecord(MUTUAL, portal);
    }

    private static NodeRecord mutualRecord(String target, Portal portal) {
        return NodeRecord.create(new NodeKey(IscsiName.of(target), portal, null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "3").with(NodeKeys.LOGOUT_TIMEOUT, "2").with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0")
                .with(NodeKeys.DEFAULT_TIME2WAIT, "0").with(NodeKeys.CHAP_ALGS, "MD5").with(NodeKeys.AUTH_METHOD, "CHAP")
                .with(NodeKeys.USERNAME, MUTUAL_USER.user()).with(NodeKeys.PASSWORD, MUTUAL_USER.secret())
                .with(NodeKeys.USERNAME_IN, TARGET_USER.user()).with(NodeKeys.PASSWORD_IN, TARGET_USER.secret()));
    }

    private static HostileTarget target(boolean mutual) throws Exception {
        HostileTarget t = HostileTarget.start(mutual ? mutualConversation : oneWayConversation).overrideLoginKey("DefaultTime2Wait", "0");
        return mutual ? t.mutualChapSecret(TARGET_USER.secret()) : t;
    }

    private static NodeRecord record(HostileTarget t, boolean mutual) {
        return mutual ? mutualRecord(t.portal(1)) : oneWayRecord(t.portal(1));
    }

    @Test
    void theUnspoiledReplaysLogInAndOut() throws Exception {
        for (boolean mutual : new boolean[] {false, true}) {
            try (HostileTarget t = target(mutual)) {
                SessionInfo s = bounded(engine.login(record(t, mutual)));
                bounded(engine.logout(s.sid()));
                assertEquals(List.of(), t.unmatched());
            }
            assertEquals(List.of(), leftBehind(), "after the " + (mutual ? "mutual" : "one-way") + " login");
        }
    }

    /** The target's CHAP values, each spoiled: what the failure must name. */
    private static Map<String, String[]> spoiledValues(boolean mutual) {
        Map<String, String[]> m = new LinkedHashMap<>();
        m.put("CHAP_A", new String[] {"7", "99", "", "5,7", "0x5", "9".repeat(5000), "Reject"});
        m.put("CHAP_I", new String[] {"256", "-1", "0x", "0xzz", "1e3", "", "9".repeat(5000)});
        m.put("CHAP_C", new String[] {"0x", "0xzz", "0b!!!", "0b", "12345", HUGE_HEX, "0b" + "A".repeat(8000)});
        if (mutual) {
            m.put("CHAP_N", new String[] {"", "someoneelse", "targetuser ", "n".repeat(5000)});
            m.put("CHAP_R", new String[] {"0x", "0xzz", "0b!!!", "0x00", "0x" + "00".repeat(16), HUGE_HEX, "0b" + "A".repeat(8000)});
        }
        return m;
    }

    @Test
    void everySpoiledChapValueFailsAuthenticationNamingTheKey() throws Exception {
        theUnspoiledReplaysLogInAndOut(); // warms up
        LeakCheck.Baseline before = LeakCheck.baseline("kiscsi-tcp-", 5);
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (boolean mutual : new boolean[] {false, true}) {
            for (Map.Entry<String, String[]> e : spoiledValues(mutual).entrySet()) {
                for (String value : e.getValue()) {
                    cases++;
                    String what = (mutual ? "mutual " : "one-way ") + e.getKey() + "=" + abbreviated(value);
                    try (HostileTarget t = target(mutual)) {
                        t.overrideLoginKey(e.getKey(), value);
                        IscsiException x = loginFails(t, mutual);
                        if (x.error() != IscsiError.LOGIN_AUTH_FAILED) {
                            failures.add(what + ": " + x.error() + " " + x.getMessage());
                        } else if (!x.getMessage().contains(e.getKey()) && !(e.getKey().equals("CHAP_N") && x.getMessage().contains("username_in"))) {
                            failures.add(what + ": the message does not name " + e.getKey() + ": " + x.getMessage());
                        }
                        checkMessage(what, x, failures);
                    } catch (AssertionError | Exception x) {
                        failures.add(what + ": " + x);
                    }
                    List<String> left = leftBehind();
                    if (!left.isEmpty()) {
                        failures.add(what + ": left behind " + left);
                    }
                }
            }
        }
        failures.addAll(before.grown());
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases + " cases failed:\n" + String.join("\n", failures));
        }
    }

    /**
     * A target that sends back, as its own CHAP_C, the challenge this initiator sent in a login still
     * pending, would have the initiator compute the answer the target owes: refused.
     */
    @Test
    void aReflectedChallengeIsRefused() throws Exception {
        try (HostileTarget t = target(true).reflectChallenges()) {
            CompletionStage<SessionInfo> first = engine.login(record(t, true));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!t.holdsAChallengeToReflect() && System.nanoTime() < deadline) {
                Thread.sleep(10); // until the first login sent its challenge; it waits then (login timeout 3 s)
            }
            // another node record: the replay answers any target name, and the first login's session is still pending
            IscsiException second = failure(engine.login(mutualRecord(MUTUAL + "-2", t.portal(1))));
            assertEquals(IscsiError.LOGIN_AUTH_FAILED, second.error(), second.getMessage());
            assertTrue(second.getMessage().contains("reflected"), second.getMessage());
            failure(first); // the first gets no answer: the login timeout ends it
        }
        assertEquals(List.of(), leftBehind());
    }

    /** The PDU mutations on each login response of both conversations: every case ends, nothing is left. */
    @Test
    void everySpoiledLoginPduEndsWithinTheLoginTimeout() throws Exception {
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (boolean mutual : new boolean[] {false, true}) {
            int loginPdus = (int) (mutual ? mutualConversation : oneWayConversation).events().stream()
                    .filter(e -> !e.fromInitiator() && e.opcodeBits() == 0x23).count();
            for (Mutation.Kind k : Mutation.Kind.values()) {
                if (k == Mutation.Kind.HEADER_DIGEST || k == Mutation.Kind.DATA_DIGEST) {
                    continue; // no digests during login
                }
                for (int pdu = 0; pdu < loginPdus; pdu++) {
                    cases++;
                    String what = (mutual ? "mutual " : "one-way ") + k + "@" + pdu;
                    try (HostileTarget t = target(mutual)) {
                        t.arm(new Mutation(k, pdu, 31 * pdu + k.ordinal()));
                        try {
                            SessionInfo s = bounded(engine.login(record(t, mutual)));
                            try {
                                bounded(engine.logout(s.sid()));
                            } catch (ExecutionException x) {
                                checkMessage(what, (IscsiException) x.getCause(), failures);
                            }
                        } catch (ExecutionException x) {
                            checkMessage(what, (IscsiException) x.getCause(), failures);
                        }
                    } catch (AssertionError | Exception x) {
                        failures.add(what + ": " + x);
                    }
                    List<String> left = leftBehind();
                    if (!left.isEmpty()) {
                        failures.add(what + ": left behind " + left);
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases + " cases failed:\n" + String.join("\n", failures));
        }
    }

    private static void checkMessage(String what, IscsiException x, List<String> failures) {
        String m = String.valueOf(x.getMessage());
        for (ChapCredentials c : new ChapCredentials[] {USER, MUTUAL_USER, TARGET_USER}) {
            if (m.contains(c.secret())) {
                failures.add(what + ": a secret in the message: " + m);
            }
        }
        if (m.length() > 2000) {
            failures.add(what + ": a message of " + m.length() + " characters");
        }
    }

    private static IscsiException loginFails(HostileTarget t, boolean mutual) throws Exception {
        return failure(engine.login(record(t, mutual)));
    }

    private static IscsiException failure(CompletionStage<?> s) throws Exception {
        try {
            Object o = bounded(s);
            if (o instanceof SessionInfo si) {
                bounded(engine.logout(si.sid()));
            }
            throw new AssertionError("succeeded: " + o);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IscsiException x) {
                return x;
            }
            throw new AssertionError("failed with " + e.getCause(), e.getCause());
        }
    }

    private static <T> T bounded(CompletionStage<T> s) throws Exception {
        return check.bounded(s);
    }

    private static List<String> leftBehind() throws InterruptedException {
        return check.leftBehind();
    }

    private static String abbreviated(String v) {
        return v.length() > 24 ? v.substring(0, 12) + "...(" + v.length() + ")" : v;
    }
}
