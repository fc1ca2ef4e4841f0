package org.kiscsi.discovery.sendtargets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.auth.chap.ChapAuthenticatorFactory;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.discovery.DiscoveryContext;
import org.kiscsi.testkit.target.TestTarget;
import org.kiscsi.transport.tcp.TcpTransport;

/** The provider in the plain-Java engine against the in-JVM test target. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendTargetsAgainstTestTargetTest {
    private static final String ME = "iqn.2026-11.org.kiscsi.test:st-initiator";
    private TestTarget target;
    private TcpTransport tcp;
    private IscsiEngine engine;
    private final SendTargetsDiscovery sendTargets = new SendTargetsDiscovery();

    @BeforeEach
    void setUp() throws IOException {
        target = TestTarget.start("iqn.2026-11.org.kiscsi.test:st", 64);
        tcp = new TcpTransport();
        engine = IscsiEngine.builder().initiatorName(ME).transport(tcp).authenticator(new ChapAuthenticatorFactory()).build();
    }

    @AfterEach
    void tearDown() throws IOException {
        engine.close();
        tcp.close();
        target.close();
    }

    private DiscoveryRecord record() {
        return new DiscoveryRecord(DiscoveryType.SENDTARGETS, target.portal(), RecordValues.empty()
                .with("discovery.sendtargets.timeo.login_timeout", "3")
                .with("discovery.sendtargets.timeo.active_timeout", "2")
                .with("node.conn[0].timeo.logout_timeout", "1"));
    }

    private CompletionStage<List<DiscoveredTarget>> discover(DiscoveryRecord r, Duration whole) {
        return sendTargets.discover(r, new DiscoveryContext(IscsiName.of(ME), engine, whole));
    }

    private static <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static IscsiException failure(CompletionStage<?> s) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(s));
        return assertInstanceOf(IscsiException.class, e.getCause(), String.valueOf(e.getCause()));
    }

    @Test
    void anAnswerSpanningManyTextPdusGivesEveryTargetAndPortal() throws Exception {
        StringBuilder answer = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            answer.append("TargetName=iqn.2026-11.org.kiscsi.test:t").append(i).append("|TargetAddress=127.0.0.1:")
                    .append(4000 + i).append(",1|TargetAddress=[::1]:").append(4000 + i).append(",2|");
        }
        target.sendTargetsAnswer(answer.toString()).textPduSize(64);
        List<DiscoveredTarget> found = await(discover(record(), Duration.ofSeconds(20)));
        assertEquals(50, found.size());
        assertEquals(List.of(Portal.of("127.0.0.1", 4049, 1), Portal.of("::1", 4049, 2)), found.get(49).portals());
        assertTrue(target.errors().isEmpty(), target.errors().toString());
    }

    @Test
    void aMalformedAnswerNamesThePortalAndTheText() {
        target.sendTargetsAnswer("TargetName=iqn.2026-11.org.kiscsi.test:a|TargetAddress=10.0.0.1:99999,1|");
        IscsiException e = failure(discover(record(), Duration.ofSeconds(20)));
        assertTrue(e.getMessage().contains("SendTargets discovery at " + target.portal().hostPort())
                && e.getMessage().contains("'99999' is not a port"), e.getMessage());
    }

    @Test
    void aTargetStoppingMidAnswerIsBoundedByTheRecordsActiveTimeout() {
        target.sendTargetsAnswer("TargetName=iqn.2026-11.org.kiscsi.test:a|TargetAddress=10.0.0.1:3260,1|"
                + "TargetName=iqn.2026-11.org.kiscsi.test:b|").textPduSize(16).stallTextAfter(2);
        long start = System.nanoTime();
        IscsiException e = failure(discover(record().with(SendTargetsDiscovery.REOPEN_MAX, "0"), Duration.ofSeconds(20)));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(IscsiError.PDU_TIMEOUT, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains("active_timeout") && e.getMessage().contains(target.portal().hostPort()), e.getMessage());
        assertTrue(ms >= 1500 && ms < 8000, ms + " ms");
    }

    @Test
    void aDroppedConnectionIsReopenedReopenMaxTimesThenTheDiscoveryFailsSayingSo() {
        target.sendTargetsAnswer("TargetName=iqn.2026-11.org.kiscsi.test:a|").closeTextAfter(0);
        IscsiException e = failure(discover(record().with(SendTargetsDiscovery.REOPEN_MAX, "2"), Duration.ofSeconds(20)));
        assertEquals(3, target.loginAttempts().size(), "the first session and two reopens: " + target.loginAttempts());
        assertTrue(e.getMessage().contains("after 2 reopen(s), discovery.sendtargets.reopen_max = 2"), e.getMessage());

        int before = target.loginAttempts().size();
        failure(discover(record().with(SendTargetsDiscovery.REOPEN_MAX, "0"), Duration.ofSeconds(20)));
        assertEquals(before + 1, target.loginAttempts().size(), "reopen_max 0: one session only");
    }

    @Test
    void aBadReopenMaxIsRefusedBeforeConnecting() {
        IscsiException e = failure(discover(record().with(SendTargetsDiscovery.REOPEN_MAX, "-1"), Duration.ofSeconds(20)));
        assertEquals(IscsiError.INVAL, e.error());
        assertTrue(e.getMessage().contains("discovery.sendtargets.reopen_max is '-1'"), e.getMessage());
        assertEquals(0, target.loginAttempts().size());
    }

    @Test
    void theWholeDiscoveryIsBoundedByTheContextsTimeout() {
        target.stallTextAfter(0);
        long start = System.nanoTime();
        IscsiException e = failure(discover(record().with("discovery.sendtargets.timeo.active_timeout", "30"), Duration.ofSeconds(1)));
        assertEquals(IscsiError.TRANS_TIMEOUT, e.error(), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000);
    }

    @Test
    void discoveryChapWaitsAuthTimeoutForTheTargetsSecurityAnswers() {
        target.requireDiscoveryChap("discovery-user", "discovery-secret-1").stallLoginAfter(1);
        DiscoveryRecord chap = record().with("discovery.sendtargets.auth.authmethod", "CHAP")
                .with("discovery.sendtargets.auth.username", "discovery-user")
                .with("discovery.sendtargets.auth.password", "discovery-secret-1")
                .with("discovery.sendtargets.timeo.login_timeout", "10")
                .with("discovery.sendtargets.timeo.auth_timeout", "1")
                .with("node.session.initial_login_retry_max", "0").with(SendTargetsDiscovery.REOPEN_MAX, "0");
        long start = System.nanoTime();
        IscsiException e = failure(discover(chap, Duration.ofSeconds(20)));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().contains("discovery.sendtargets.timeo.auth_timeout"), e.getMessage());
        assertTrue(ms >= 800 && ms < 5000, ms + " ms: auth_timeout (1 s), not login_timeout (10 s)");
    }

    @Test
    void discoveryChapLogsIn() throws Exception {
        target.requireDiscoveryChap("discovery-user", "discovery-secret-1");
        DiscoveryRecord chap = record().with("discovery.sendtargets.auth.authmethod", "CHAP")
                .with("discovery.sendtargets.auth.username", "discovery-user")
                .with("discovery.sendtargets.auth.password", "discovery-secret-1");
        assertEquals(1, await(discover(chap, Duration.ofSeconds(20))).size());
    }
}
