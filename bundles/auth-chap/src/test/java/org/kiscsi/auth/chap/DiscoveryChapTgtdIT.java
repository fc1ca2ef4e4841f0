package org.kiscsi.auth.chap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.spi.auth.AuthRequest;
import org.kiscsi.spi.auth.AuthenticationException;
import org.kiscsi.spi.auth.Authenticator;
import org.kiscsi.spi.auth.AuthenticatorFactory;
import org.kiscsi.testkit.peers.ChapCredentials;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.testkit.proxy.FaultProxy;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * Discovery CHAP through the plain-Java engine's discovery session against a tgtd of this test's
 * own: an account bound without {@code --tid} is required of every discovery session of that tgtd
 * (so no other test's tgtd may share it). A {@link FaultProxy} in between counts the connections.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiscoveryChapTgtdIT {
    private static final String INITIATOR = "iqn.2026-11.org.kiscsi.it:discovery-chap-initiator";
    private static final String FIRST = "iqn.2026-11.org.kiscsi.it:dchap-one";
    private static final String SECOND = "iqn.2026-11.org.kiscsi.it:dchap-two";
    private static final ChapCredentials DISCOVERY = new ChapCredentials("discoveryuser", "discoverysecret1");
    private static final ChapCredentials DISCOVERY_TARGET = new ChapCredentials("discoverytarget", "discoverytarget2");
    private static Tgtd tgtd;

    private final ChapAuthenticatorFactory chap = new ChapAuthenticatorFactory();
    /** CHAP exchanges the target chose (the factory asked for an authenticator). */
    private final AtomicInteger exchanges = new AtomicInteger();
    private TcpTransport tcp;
    private IscsiEngine engine;
    private FaultProxy proxy;

    @BeforeAll
    static void startTgtd() {
        tgtd = Tgtd.start(Loopback.IPV4);
        for (String iqn : List.of(FIRST, SECOND)) {
            tgtd.createTarget(iqn).allowAll().addLun(1, LunBacking.file(1 << 20));
        }
        tgtd.createAccount(DISCOVERY);
        // no --tid: the account is the one discovery sessions of this tgtd must prove
        tgtd.tgtadm().run("--op", "bind", "--mode", "account", "--user", DISCOVERY.user());
        tgtd.createAccount(DISCOVERY_TARGET);
        tgtd.tgtadm().run("--op", "bind", "--mode", "account", "--user", DISCOVERY_TARGET.user(), "--outgoing");
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
        engine = IscsiEngine.builder().initiatorName(INITIATOR).transport(tcp).authenticator(new AuthenticatorFactory() {
            @Override
            public String authMethod() {
                return chap.authMethod();
            }

            @Override
            public List<String> authMethodsOffered(AuthRequest request) throws AuthenticationException {
                return chap.authMethodsOffered(request);
            }

            @Override
            public Authenticator create(AuthRequest request) {
                exchanges.incrementAndGet();
                return chap.create(request);
            }
        }).build();
        proxy = FaultProxy.start(tgtd.portal());
    }

    @AfterEach
    void tearDown() {
        try {
            engine.close();
            tcp.close();
        } finally {
            proxy.close();
        }
    }

    private static DiscoveryRecord record(Portal portal) {
        return new DiscoveryRecord(DiscoveryType.SENDTARGETS, portal, RecordValues.empty()
                .with("discovery.sendtargets.timeo.login_timeout", "5")
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "3"));
    }

    private static DiscoveryRecord chapRecord(Portal portal, ChapCredentials c) {
        return record(portal).with("discovery.sendtargets.auth.authmethod", "CHAP")
                .with("discovery.sendtargets.auth.username", c.user())
                .with("discovery.sendtargets.auth.password", c.secret());
    }

    private static <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static IscsiException failure(CompletionStage<?> s) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(s));
        assertTrue(e.getCause() instanceof IscsiException, () -> "not an IscsiException: " + e.getCause());
        return (IscsiException) e.getCause();
    }

    @Test
    void discoveryWithChapListsTheTargets() throws Exception {
        List<String> answer;
        try (DiscoverySession d = await(engine.openDiscoverySession(chapRecord(proxy.portal(), DISCOVERY)))) {
            answer = await(d.text(List.of("SendTargets=All")));
        }
        assertTrue(answer.contains("TargetName=" + FIRST) && answer.contains("TargetName=" + SECOND), answer.toString());
        assertTrue(answer.stream().anyMatch(a -> a.startsWith("TargetAddress=" + tgtd.host() + ":" + tgtd.port() + ",")),
                answer.toString());
        assertEquals(1, proxy.connectionsAccepted());
        assertEquals(1, exchanges.get(), "tgtd chose CHAP (the initiator offers None too)");
    }

    @Test
    void discoveryWithChapAndSha256ThenMd5LogsInAfterOneRetry() throws Exception {
        // tgt reads CHAP_A=7 as SHA-1, in discovery sessions as in normal ones
        try (DiscoverySession d = await(engine.openDiscoverySession(chapRecord(proxy.portal(), DISCOVERY)
                .with(NodeKeys.CHAP_ALGS, "SHA256,MD5")))) {
            assertTrue(await(d.text(List.of("SendTargets=All"))).contains("TargetName=" + FIRST));
        }
        assertEquals(2, proxy.connectionsAccepted());
    }

    @Test
    void mutualDiscoveryChapVerifiesTheGlobalOutgoingAccount() throws Exception {
        DiscoveryRecord r = chapRecord(proxy.portal(), DISCOVERY)
                .with("discovery.sendtargets.auth.username_in", DISCOVERY_TARGET.user())
                .with("discovery.sendtargets.auth.password_in", DISCOVERY_TARGET.secret());
        try (DiscoverySession d = await(engine.openDiscoverySession(r))) {
            assertTrue(await(d.text(List.of("SendTargets=All"))).contains("TargetName=" + SECOND));
        }
        IscsiException e = failure(engine.openDiscoverySession(
                r.with("discovery.sendtargets.auth.password_in", "not-the-targets-secret")));
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains("CHAP_R is wrong"), e.getMessage());
        assertEquals(2, proxy.connectionsAccepted());
    }

    @Test
    void wrongDiscoverySecretFailsWith24Once() {
        IscsiException e = failure(engine.openDiscoverySession(
                chapRecord(proxy.portal(), new ChapCredentials(DISCOVERY.user(), "wrong-discovery-secret"))));
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, e.error(), e.getMessage());
        assertEquals(24, e.error().code());
        assertFalse(e.getMessage().contains("wrong-discovery-secret") || e.getMessage().contains(DISCOVERY.secret()),
                e.getMessage());
        assertEquals(1, proxy.connectionsAccepted(), "one login, although initial_login_retry_max is 3");
    }

    @Test
    void discoveryWithoutCredentialsFailsWith24() {
        IscsiException e = failure(engine.openDiscoverySession(record(proxy.portal())));
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, e.error(), e.getMessage());
        assertEquals(1, proxy.connectionsAccepted());
    }
}
