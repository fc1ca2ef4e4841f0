package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.engine.EngineFixture.await;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.DiscoverySession;
import org.kiscsi.protocol.pdu.TextRequest;
import org.kiscsi.testkit.target.TestTarget;

/**
 * The discovery session's text exchange against the test target: answers in many PDUs (C bit,
 * F=0 and the target transfer tag), a cut-off answer, a target that stops answering or closes
 * mid-answer, bounded by the discovery record's own active_timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiscoveryTextTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:text";
    private EngineFixture f;
    private TestTarget target;

    @BeforeEach
    void setUp() throws IOException {
        f = new EngineFixture();
        target = TestTarget.start(IQN, 64);
    }

    @AfterEach
    void tearDown() throws IOException {
        f.close();
        target.close();
    }

    private DiscoveryRecord record(String activeTimeout) {
        return new DiscoveryRecord(DiscoveryType.SENDTARGETS, target.portal(), RecordValues.empty()
                .with("discovery.sendtargets.timeo.login_timeout", "3")
                .with("discovery.sendtargets.timeo.active_timeout", activeTimeout)
                .with("node.conn[0].timeo.logout_timeout", "1"));
    }

    private static IscsiException failure(Throwable e) {
        Throwable c = e instanceof ExecutionException ? e.getCause() : e;
        return assertInstanceOf(IscsiException.class, c, String.valueOf(c));
    }

    private static String longAnswer(int targets) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < targets; i++) {
            sb.append("TargetName=iqn.2026-11.org.kiscsi.test:many-").append(i).append('|')
                    .append("TargetAddress=127.0.0.1:").append(3260 + i).append(",").append(i + 1).append('|');
        }
        return sb.toString();
    }

    @Test
    void anAnswerInManyPdusIsFollowedToTheEnd() throws Exception {
        // 7-byte parts: most end inside a key=value (C bit), some right after a null (F=0)
        target.sendTargetsAnswer(longAnswer(40)).textPduSize(7);
        List<String> answer;
        try (DiscoverySession d = await(f.engine.openDiscoverySession(record("5")))) {
            answer = await(d.text(List.of("SendTargets=All")));
        }
        List<String> expected = new ArrayList<>(List.of(longAnswer(40).split("\\|")));
        assertEquals(expected, answer);
        long continuations = target.received().stream().filter(p -> p instanceof TextRequest t && t.ttt() != 0xFFFFFFFF).count();
        assertTrue(continuations > 300, "asked for the rest " + continuations + " times");
        assertTrue(target.errors().isEmpty(), target.errors().toString());
    }

    @Test
    void aCutOffAnswerIsAnErrorNamingThePortalAndTheText() throws Exception {
        target.sendTargetsAnswer("TargetName=iqn.2026-11.org.kiscsi.test:a|TargetAddr");
        try (DiscoverySession d = await(f.engine.openDiscoverySession(record("5")))) {
            IscsiException e = failure(assertThrows(ExecutionException.class, () -> await(d.text(List.of("SendTargets=All")))));
            assertTrue(e.getMessage().contains(target.portal().hostPort()) && e.getMessage().contains("'TargetAddr'")
                    && e.getMessage().contains("cut off"), e.getMessage());
        }
    }

    @Test
    void aTargetThatStopsAnsweringMidAnswerTimesOutAfterActiveTimeout() throws Exception {
        target.sendTargetsAnswer(longAnswer(10)).textPduSize(20).stallTextAfter(3);
        try (DiscoverySession d = await(f.engine.openDiscoverySession(record("2")))) {
            long start = System.nanoTime();
            IscsiException e = failure(assertThrows(ExecutionException.class, () -> await(d.text(List.of("SendTargets=All")))));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(IscsiError.PDU_TIMEOUT, e.error(), e.getMessage());
            assertTrue(e.getMessage().contains("discovery.sendtargets.timeo.active_timeout")
                    && e.getMessage().contains("after 3 answer PDU(s)"), e.getMessage());
            assertTrue(ms >= 1500 && ms < 6000, ms + " ms");
        }
    }

    @Test
    void eachAnswerPduRestartsTheActiveTimeout() throws Exception {
        // 300 parts in well over active_timeout in total would fail if the wait were for the whole answer
        target.sendTargetsAnswer(longAnswer(60)).textPduSize(8);
        try (DiscoverySession d = await(f.engine.openDiscoverySession(record("1")))) {
            assertEquals(120, await(d.text(List.of("SendTargets=All"))).size());
        }
    }

    @Test
    void aTargetClosingMidAnswerFailsTheExchange() throws Exception {
        target.sendTargetsAnswer(longAnswer(10)).textPduSize(20).closeTextAfter(2);
        try (DiscoverySession d = await(f.engine.openDiscoverySession(record("10")))) {
            long start = System.nanoTime();
            IscsiException e = failure(assertThrows(ExecutionException.class, () -> await(d.text(List.of("SendTargets=All")))));
            assertTrue((System.nanoTime() - start) / 1_000_000 < 5000, "at once, not after active_timeout");
            assertTrue(e.getMessage().contains(target.portal().hostPort()), e.getMessage());
        }
    }
}
