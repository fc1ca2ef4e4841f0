package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.engine.EngineFixture.await;
import static org.kiscsi.engine.EngineFixture.record;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.DiscoverySession;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.protocol.pdu.InitiatorPdu;
import org.kiscsi.protocol.pdu.LoginRequest;
import org.kiscsi.protocol.pdu.LogoutRequest;
import org.kiscsi.testkit.target.TestTarget;

/** Login, logout, redirection, key rejection and refusals against the in-JVM test target. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoginTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:target";
    private EngineFixture f;
    private TestTarget target;

    @BeforeEach
    void setUp() throws IOException {
        f = new EngineFixture();
        target = TestTarget.start(IQN, 2048);
    }

    @AfterEach
    void tearDown() throws IOException {
        f.close();
        target.close();
    }

    private static IscsiException failure(Throwable e) {
        Throwable c = e instanceof ExecutionException ? e.getCause() : e;
        return assertInstanceOf(IscsiException.class, c, String.valueOf(c));
    }

    @Test
    void loginNegotiatesAndLogoutIsPolite() throws Exception {
        SessionInfo s = await(f.engine.login(record(IQN, target.portal().withoutTpgt())));
        assertEquals(SessionState.LOGGED_IN, s.state());
        assertTrue(s.tsih() > 0);
        assertEquals("kiscsi-testkit", s.targetAlias());
        // a record made without a TPGT: the session carries the one the target returned
        assertEquals(-1, s.node().portal().tpgt());
        assertEquals(1, s.targetPortalGroupTag());
        assertEquals(target.portal().withoutTpgt().withTpgt(1), s.portal());
        // the target's own values win where the rules say so
        assertEquals("Yes", s.negotiated().get("InitialR2T"));
        assertEquals("65536", s.negotiated().get("FirstBurstLength"));
        assertEquals("262144", s.negotiated().get("MaxBurstLength"));
        assertEquals("65536", s.connections().get(0).negotiated().get("MaxXmitDataSegmentLength"));
        assertEquals("262144", s.connections().get(0).negotiated().get("MaxRecvDataSegmentLength"));
        LoginRequest first = (LoginRequest) target.received().get(0);
        assertEquals(0, first.csg());
        assertEquals(s.isid().value(), first.isid());
        assertEquals(1, f.engine.sessions().size());

        await(f.engine.logout(s.sid()));
        assertTrue(f.engine.sessions().isEmpty());
        List<InitiatorPdu> got = target.received();
        LogoutRequest l = assertInstanceOf(LogoutRequest.class, got.get(got.size() - 1));
        assertEquals(LogoutRequest.CLOSE_SESSION, l.reason());
    }

    @Test
    void targetThatDeclaresNoMaxRecvDataSegmentLengthGetsTheDefault() throws Exception {
        target.declareMaxRecvDataSegmentLength(false);
        SessionInfo s = await(f.engine.login(record(IQN, target.portal())));
        assertEquals("8192", s.connections().get(0).negotiated().get("MaxXmitDataSegmentLength"));
    }

    @Test
    void aTargetRequiringChapOfARecordWithoutItSaysWhatTheRecordLacks() throws Exception {
        target.requireChap("chap-user", "a-secret-of-16-b");
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(f.engine.login(record(IQN, target.portal()))));
        IscsiException ie = assertInstanceOf(IscsiException.class, e.getCause());
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, ie.error());
        assertTrue(ie.getMessage().contains("node.session.auth.authmethod = None"), ie.getMessage());
    }

    @Test
    void isidIsStableAcrossLogins() throws Exception {
        SessionInfo a = await(f.engine.login(record(IQN, target.portal())));
        await(f.engine.logout(a.sid()));
        SessionInfo b = await(f.engine.login(record(IQN, target.portal())));
        assertEquals(a.isid(), b.isid());
        await(f.engine.logout(b.sid()));
        SessionInfo kept = await(f.engine.login(record(IQN, target.portal()).with("node.session.isid[0]", "80aabbcc0001")));
        assertEquals("80aabbcc0001", kept.isid().toString());
    }

    @Test
    void redirectionIsFollowed() throws Exception {
        try (TestTarget other = TestTarget.start(IQN, 2048)) {
            target.redirect(other.portal(), false);
            SessionInfo s = await(f.engine.login(record(IQN, target.portal())));
            assertEquals(1, target.logins());
            assertEquals(1, other.logins());
            assertTrue(s.connections().get(0).remoteAddress().endsWith(":" + other.portal().port()),
                    s.connections().get(0).remoteAddress());
            await(f.engine.logout(s.sid()));
        }
    }

    @Test
    void redirectionLoopsEnd() throws Exception {
        try (TestTarget other = TestTarget.start(IQN, 2048)) {
            // each target sends the initiator to the other, every time
            target.redirectEveryLogin(other.portal());
            other.redirectEveryLogin(target.portal());
            IscsiException e = failure(org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> await(f.engine.login(record(IQN, target.portal())))));
            assertTrue(e.getMessage().contains("redirections"), e.getMessage());
            assertEquals(6, target.logins() + other.logins(), "the first login and five redirections");
        }
    }

    @Test
    void rejectedKeyFallsBackToItsDefault() throws Exception {
        target.answer("MaxBurstLength", "Reject");
        SessionInfo s = await(f.engine.login(record(IQN, target.portal())));
        assertEquals("262144", s.negotiated().get("MaxBurstLength")); // RFC default
    }

    @Test
    void rejectedKeyWithoutAcceptableDefaultFailsNamingTheKey() {
        target.answer("HeaderDigest", "Reject");
        IscsiException e = failure(org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(f.engine.login(record(IQN, target.portal()).with(NodeKeys.HEADER_DIGEST, "CRC32C")))));
        assertEquals(IscsiError.LOGIN, e.error());
        assertTrue(e.getMessage().contains("HeaderDigest") && e.getMessage().contains(target.portal().hostPort()), e.getMessage());
    }

    @Test
    void answerBreakingTheRulesFailsTheLogin() {
        target.answer("MaxBurstLength", "33554431");
        IscsiException e = failure(org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(f.engine.login(record(IQN, target.portal())))));
        assertTrue(e.getMessage().contains("MaxBurstLength"), e.getMessage());
    }

    @Test
    void refusedLoginsMapToErrorClassesAndOnlyTargetErrorsAreRetried() throws Exception {
        target.refuseLogins(0x0201);
        IscsiException auth = failure(org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(f.engine.login(record(IQN, target.portal()).with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "3")))));
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, auth.error());
        assertEquals(1, target.logins(), "an authentication failure is not retried");

        target.refuseLogins(0x0301);
        IscsiException busy = failure(org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(f.engine.login(record(IQN, target.portal()).with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "2")
                        .with(NodeKeys.LOGIN_TIMEOUT, "1")))));
        assertEquals(IscsiError.LOGIN, busy.error());
        assertTrue(busy.getMessage().contains("service unavailable"), busy.getMessage());
        assertEquals(1 + 3, target.logins(), "a target error is retried initial_login_retry_max times");
    }

    @Test
    void silentTargetTimesOutWithinTheRecordsLoginTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket s = silent.accept()) {
                    Thread.sleep(10_000);
                } catch (IOException | InterruptedException ignored) {
                    // test over
                }
            });
            acceptor.start();
            long t0 = System.nanoTime();
            IscsiException e = failure(org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> await(f.engine.login(record(IQN, Portal.of("127.0.0.1", silent.getLocalPort()))
                            .with(NodeKeys.LOGIN_TIMEOUT, "1")))));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(IscsiError.PDU_TIMEOUT, e.error(), e.getMessage());
            assertTrue(e.getMessage().contains("login_timeout"), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:" + silent.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("1 s"), e.getMessage());
            assertTrue(ms >= 900 && ms < 5000, "timed out after " + ms + " ms");
            acceptor.interrupt();
        }
    }

    /**
     * No TCP connection within the login timeout (a portal whose SYNs are dropped; the TCP transport's
     * own test makes one, the end-to-end suite a firewall rule in a namespace): the engine reports
     * TRANS_TIMEOUT naming portal and timeout, after initial_login_retry_max more attempts.
     */
    @Test
    void connectionNeverMadeIsATransportTimeoutAfterTheRetries() throws Exception {
        Portal nowhere = Portal.of("127.0.0.1", 9);
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<java.time.Duration> timeouts = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.kiscsi.spi.transport.TransportProvider dropping = new org.kiscsi.spi.transport.TransportProvider() {
            @Override
            public String name() {
                return "dropping";
            }

            @Override
            public java.util.Set<org.kiscsi.spi.transport.TransportCapability> capabilities() {
                return java.util.Set.of();
            }

            @Override
            public java.util.concurrent.CompletionStage<org.kiscsi.spi.transport.TransportConnection> connect(
                    org.kiscsi.spi.transport.ConnectRequest request, org.kiscsi.spi.transport.TransportListener listener) {
                attempts.incrementAndGet();
                timeouts.add(request.connectTimeout());
                return java.util.concurrent.CompletableFuture.failedFuture(new IscsiException(IscsiError.TRANS_TIMEOUT,
                        "connect to " + request.portal().hostPort() + " timed out after "
                                + request.connectTimeout().toMillis() + " ms"));
            }
        };
        try (IscsiEngine e = IscsiEngine.builder().initiatorName(EngineFixture.INITIATOR).transport(dropping).build()) {
            IscsiException x = failure(assertThrows(ExecutionException.class, () -> await(e.login(record(IQN, nowhere)
                    .with(NodeKeys.TRANSPORT_NAME, "dropping").with(NodeKeys.LOGIN_TIMEOUT, "1")
                    .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "2")))));
            assertEquals(IscsiError.TRANS_TIMEOUT, x.error(), x.getMessage());
            assertTrue(x.getMessage().contains("127.0.0.1:9"), x.getMessage());
            assertTrue(x.getMessage().contains("within 1 s (node.conn[0].timeo.login_timeout)"), x.getMessage());
            assertEquals(3, attempts.get(), "first attempt and initial_login_retry_max = 2 more");
            assertEquals(java.util.List.of(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1),
                    java.time.Duration.ofSeconds(1)), timeouts);
        }
    }

    @Test
    void deadPortalFailsNamingIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        IscsiException e = failure(org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(f.engine.login(record(IQN, Portal.of("127.0.0.1", port))))));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void missingTransportIsNamed() {
        IscsiException e = failure(org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(f.engine.login(record(IQN, target.portal()).with(NodeKeys.TRANSPORT_NAME, "iser")))));
        assertEquals(IscsiError.TRANS_NOT_FOUND, e.error());
        assertTrue(e.getMessage().contains("iser"), e.getMessage());
    }

    @Test
    void nrSessionsOpensThatManySessionsWithTheirOwnIsids() throws Exception {
        await(f.engine.login(record(IQN, target.portal()).with(NodeKeys.NR_SESSIONS, "3")));
        long deadline = System.currentTimeMillis() + 10_000;
        while (f.engine.sessions().size() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        List<SessionInfo> all = f.engine.sessions();
        assertEquals(3, all.size());
        assertEquals(3, all.stream().map(SessionInfo::isid).distinct().count());
    }

    @Test
    void discoverySessionAnswersSendTargets() throws Exception {
        DiscoveryRecord d = new DiscoveryRecord(DiscoveryType.SENDTARGETS, target.portal(), RecordValues.empty()
                .with("discovery.sendtargets.timeo.login_timeout", "3"));
        DiscoverySession ds = await(f.engine.openDiscoverySession(d));
        List<String> answer = await(ds.text(List.of("SendTargets=All")));
        ds.close();
        assertEquals(List.of("TargetName=" + IQN, "TargetAddress=" + target.portal().hostPort() + ",1"), answer);
        LoginRequest first = (LoginRequest) target.received().get(0);
        String text = java.nio.charset.StandardCharsets.UTF_8.decode(first.data().duplicate()).toString();
        assertTrue(text.contains("SessionType=Discovery") && !text.contains("TargetName"), text);
    }

    @Test
    void chapWithoutAnAuthenticatorFailsBeforeConnectingNamingTheFeature() {
        IscsiException e = failure(org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(f.engine.login(record(IQN, target.portal()).with(NodeKeys.AUTH_METHOD, "CHAP")
                        .with(NodeKeys.USERNAME, "u").with(NodeKeys.PASSWORD, "a-long-secret")))));
        assertEquals(IscsiError.OP_NOT_SUPP, e.error());
        assertTrue(e.getMessage().contains("kiscsi-auth-chap"), e.getMessage());
        assertEquals(0, target.logins(), "no login without an authenticator");
    }

    @Test
    void theAuthenticatorDecidesWhatIsOfferedAndMayRefuseBeforeConnecting() throws Exception {
        List<org.kiscsi.spi.auth.AuthRequest> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.kiscsi.spi.auth.AuthenticatorFactory chap = new org.kiscsi.spi.auth.AuthenticatorFactory() {
            @Override
            public String authMethod() {
                return "CHAP";
            }

            @Override
            public org.kiscsi.spi.auth.Authenticator create(org.kiscsi.spi.auth.AuthRequest request) {
                throw new AssertionError("the test target answers AuthMethod=None");
            }

            @Override
            public List<String> authMethodsOffered(org.kiscsi.spi.auth.AuthRequest request) {
                asked.add(request);
                if (request.strict()) {
                    throw new org.kiscsi.spi.auth.AuthenticationException("refused by the authenticator's policy");
                }
                return List.of("CHAP", "None");
            }
        };
        f.engine.addAuthenticator(chap);
        var chapRecord = record(IQN, target.portal()).with(NodeKeys.AUTH_METHOD, "CHAP").with(NodeKeys.USERNAME, "u")
                .with(NodeKeys.PASSWORD, "a-long-secret").with(NodeKeys.CHAP_ALGS, "SHA256,MD5");
        SessionInfo s = await(f.engine.login(chapRecord));
        assertEquals(List.of("SHA256", "MD5"), asked.get(0).algorithms());
        assertEquals("None", s.negotiated().getOrDefault("AuthMethod", "None"));
        await(f.engine.logout(s.sid()));
        int logins = target.logins();
        IscsiException e = failure(org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(f.engine.login(chapRecord.with(NodeKeys.AUTH_STRICT, "Yes")))));
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, e.error());
        assertTrue(e.getMessage().contains("authenticator's policy"), e.getMessage());
        assertEquals(logins, target.logins(), "refused before connecting");
    }
}
