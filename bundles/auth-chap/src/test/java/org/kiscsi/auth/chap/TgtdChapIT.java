package org.kiscsi.auth.chap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
import org.kiscsi.api.session.SessionState;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.testkit.peers.ChapCredentials;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.testkit.proxy.FaultProxy;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * CHAP in the plain-Java engine over real TCP against tgtd, with a {@link FaultProxy} in between to
 * count the connections (one per login attempt).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TgtdChapIT {
    private static final String INITIATOR = "iqn.2026-11.org.kiscsi.it:chap-initiator";
    private static final String ONE_WAY = "iqn.2026-11.org.kiscsi.it:chap";
    private static final String MUTUAL = "iqn.2026-11.org.kiscsi.it:mutual";
    private static final ChapCredentials USER = new ChapCredentials("chapuser", "chapsecret-12");
    private static final ChapCredentials MUTUAL_USER = new ChapCredentials("mutualuser", "mutualsecret1");
    private static final ChapCredentials TARGET_USER = new ChapCredentials("targetuser", "targetsecret1");
    private static Tgtd tgtd;

    private final ChapAuthenticatorFactory chap = new ChapAuthenticatorFactory();
    private TcpTransport tcp;
    private IscsiEngine engine;
    private FaultProxy proxy;

    @BeforeAll
    static void startTgtd() {
        tgtd = Tgtd.start(Loopback.IPV4);
        var oneWay = tgtd.createTarget(ONE_WAY);
        oneWay.addLun(1, LunBacking.file(1 << 20));
        oneWay.requireChap(USER).allowAll();
        var mutual = tgtd.createTarget(MUTUAL);
        mutual.addLun(1, LunBacking.file(1 << 20));
        mutual.requireMutualChap(MUTUAL_USER, TARGET_USER).allowAll();
    }

    @AfterAll
    static void stopTgtd() {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        tcp = new TcpTransport();
        engine = IscsiEngine.builder().initiatorName(INITIATOR).transport(tcp).authenticator(chap).build();
        proxy = FaultProxy.start(tgtd.portal());
    }

    @AfterEach
    void tearDown() {
        try {
            for (SessionInfo s : engine.sessions()) {
                try {
                    engine.logout(s.sid()).toCompletableFuture().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // recovering or gone: closing the engine ends it
                }
            }
        } finally {
            engine.close();
            tcp.close();
            proxy.close();
        }
    }

    private static NodeRecord record(String target, Portal portal, ChapCredentials user) {
        return NodeRecord.create(new NodeKey(IscsiName.of(target), portal, null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "5").with(NodeKeys.LOGOUT_TIMEOUT, "3")
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "3")
                .with(NodeKeys.AUTH_METHOD, "CHAP").with(NodeKeys.USERNAME, user.user()).with(NodeKeys.PASSWORD, user.secret()));
    }

    private static NodeRecord mutualRecord(Portal portal) {
        return record(MUTUAL, portal, MUTUAL_USER).with(NodeKeys.USERNAME_IN, TARGET_USER.user())
                .with(NodeKeys.PASSWORD_IN, TARGET_USER.secret());
    }

    private static <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static IscsiException failure(CompletionStage<?> s) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(s));
        return (IscsiException) e.getCause();
    }

    private void assertNoSecretIn(String message) {
        for (ChapCredentials c : new ChapCredentials[] {USER, MUTUAL_USER, TARGET_USER}) {
            assertFalse(message.contains(c.secret()), "a secret in: " + message);
        }
    }

    @Test
    void oneWayChapLogsIn() throws Exception {
        SessionInfo s = await(engine.login(record(ONE_WAY, proxy.portal(), USER)));
        assertEquals(SessionState.LOGGED_IN, s.state());
        assertEquals(1, proxy.connectionsAccepted());
        await(engine.logout(s.sid()));
    }

    @Test
    void mutualChapLogsInAndVerifiesTheTarget() throws Exception {
        SessionInfo s = await(engine.login(mutualRecord(proxy.portal())));
        assertEquals(SessionState.LOGGED_IN, s.state());
        await(engine.logout(s.sid()));
    }

    @Test
    void targetWithAnotherSecretThanPasswordInIsRefused() {
        NodeRecord r = mutualRecord(proxy.portal()).with(NodeKeys.PASSWORD_IN, "not-the-targets-secret");
        IscsiException e = failure(engine.login(r));
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, e.error());
        assertTrue(e.getMessage().contains("CHAP_R is wrong"), e.getMessage());
        assertEquals(1, proxy.connectionsAccepted(), "refusing the target is not retried");
    }

    @Test
    void wrongSecretIsOneClearFailure() {
        NodeRecord r = record(ONE_WAY, proxy.portal(), new ChapCredentials(USER.user(), "wrong-secret-99"));
        IscsiException e = failure(engine.login(r));
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, e.error());
        assertEquals(24, e.error().code());
        assertTrue(e.getMessage().contains("authentication failure") && e.getMessage().contains("node.session.auth.password"),
                e.getMessage());
        assertNoSecretIn(e.getMessage());
        assertEquals(1, proxy.connectionsAccepted(), "one login, although initial_login_retry_max is 3");
    }

    @Test
    void sha256ThenMd5AgainstTgtdsNumberingLogsInWithOneRetry() throws Exception {
        // tgt reads CHAP_A=7 as SHA-1: our SHA-256 response is refused, MD5 alone is offered once more
        SessionInfo s = await(engine.login(record(ONE_WAY, proxy.portal(), USER).with(NodeKeys.CHAP_ALGS, "SHA256,MD5")));
        assertEquals(SessionState.LOGGED_IN, s.state());
        assertEquals(2, proxy.connectionsAccepted());
        await(engine.logout(s.sid()));
    }

    @Test
    void sha256AloneAgainstTgtdNamesTheMismatch() {
        IscsiException e = failure(engine.login(record(ONE_WAY, proxy.portal(), USER).with(NodeKeys.CHAP_ALGS, "SHA256")));
        // tgtd refuses a response of the wrong length as an initiator error (0x0200), which open-iscsi reports as 19 too
        assertEquals(IscsiError.FATAL_LOGIN, e.error());
        assertTrue(e.getMessage().contains("CHAP_A=7") && e.getMessage().contains("SHA-1")
                && e.getMessage().contains("node.session.auth.chap_algs"), e.getMessage());
        assertEquals(1, proxy.connectionsAccepted());
    }

    @Test
    void sha1IsNumbered6WhichTgtdDoesNotKnowSoMd5IsChosen() throws Exception {
        SessionInfo s = await(engine.login(record(ONE_WAY, proxy.portal(), USER).with(NodeKeys.CHAP_ALGS, "SHA1,MD5")));
        assertEquals(1, proxy.connectionsAccepted());
        await(engine.logout(s.sid()));
    }

    @Test
    void chapWithoutAnAuthenticatorFailsBeforeConnectingAndRecoveryWaitsForIt() throws Exception {
        SessionInfo s = await(engine.login(record(ONE_WAY, proxy.portal(), USER)));
        engine.removeAuthenticator(chap);
        IscsiException e = failure(engine.login(record(ONE_WAY, proxy.portal(), USER).with(NodeKeys.NR_SESSIONS, "2")));
        assertEquals(IscsiError.OP_NOT_SUPP, e.error());
        assertTrue(e.getMessage().contains("kiscsi-auth-chap"), e.getMessage());
        assertEquals(1, proxy.connectionsAccepted(), "no connection for a login that cannot authenticate");

        // the established session stays up; cut, it recovers, and waits for an authenticator
        assertEquals(SessionState.LOGGED_IN, engine.session(s.sid()).orElseThrow().state());
        proxy.cutAll();
        Thread.sleep(4000); // beyond tgtd's DefaultTime2Wait of 2 s: attempts have failed meanwhile
        assertEquals(SessionState.RECOVERING, engine.session(s.sid()).orElseThrow().state());
        assertEquals(1, proxy.connectionsAccepted());
        engine.addAuthenticator(chap);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (engine.session(s.sid()).orElseThrow().state() != SessionState.LOGGED_IN && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(SessionState.LOGGED_IN, engine.session(s.sid()).orElseThrow().state());
    }
}
