package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.engine.EngineFixture.await;
import static org.kiscsi.engine.EngineFixture.record;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.DiscoverySession;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.testkit.hostile.SeedRecorder;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;

/**
 * Records the hostile target's seeds: the engine logs in to a real tgtd through a
 * {@link SeedRecorder}, runs {@link HostileScript}, idles long enough for one NOP-Out, and logs out;
 * once without digests, once with CRC32C on both; then a SendTargets discovery session. Not a test (no surefire name pattern matches it): run
 * on demand with {@code -Dtest=HostileSeedCapture}, and
 * {@code -Dkiscsi.hostile.capture=DIR} (e.g. {@code src/test/resources/org/kiscsi/engine}).
 */
@EnabledIfSystemProperty(named = "kiscsi.hostile.capture", matches = ".+")
class HostileSeedCapture {
    @Test
    void capture() throws Exception {
        Path dir = Path.of(System.getProperty("kiscsi.hostile.capture"));
        try (Tgtd tgtd = Tgtd.start(Loopback.IPV4)) {
            TgtTarget t = EngineFixture.targetWithDigests(tgtd, HostileScript.TARGET, 1 << 20);
            capture(tgtd, t, false, dir.resolve(HostileScript.PLAIN));
            capture(tgtd, t, true, dir.resolve(HostileScript.DIGESTS));
            captureSendTargets(tgtd, dir.resolve(HostileScript.SEND_TARGETS));
        }
    }

    /** A discovery session: login (SessionType=Discovery), SendTargets=All and tgtd's answer, logout. */
    private static void captureSendTargets(Tgtd tgtd, Path file) throws Exception {
        try (SeedRecorder rec = SeedRecorder.start(tgtd.portal()); EngineFixture f = new EngineFixture()) {
            DiscoveryRecord d = new DiscoveryRecord(DiscoveryType.SENDTARGETS, rec.portal(tgtd.portal().tpgt()), RecordValues.empty());
            try (DiscoverySession s = await(f.engine.openDiscoverySession(d))) {
                await(s.text(List.of("SendTargets=All")));
            }
            Thread.sleep(200);
            try (Writer w = Files.newBufferedWriter(file)) {
                rec.conversation().write(w, List.of("kiscsi's engine and tgtd: a discovery session, SendTargets=All, logout",
                        "recorded by " + HostileSeedCapture.class.getName() + "; I = initiator PDU, T = target PDU, connection, header, data"));
            }
        }
    }

    private static void capture(Tgtd tgtd, TgtTarget t, boolean digests, Path file) throws Exception {
        try (SeedRecorder rec = SeedRecorder.start(tgtd.portal()); EngineFixture f = new EngineFixture()) {
            NodeRecord node = record(HostileScript.TARGET, rec.portal(tgtd.portal().tpgt()))
                    .with(NodeKeys.NOOP_OUT_INTERVAL, "1").with(NodeKeys.NOOP_OUT_TIMEOUT, "2");
            if (digests) {
                node = node.with(NodeKeys.HEADER_DIGEST, "CRC32C").with(NodeKeys.DATA_DIGEST, "CRC32C");
            }
            SessionInfo s = await(f.engine.login(node));
            for (ScsiTask task : HostileScript.tasks()) {
                await(f.engine.executor(s.sid()).execute(task));
            }
            Thread.sleep(1500); // one NOP-Out and its NOP-In
            await(f.engine.logout(s.sid()));
            Thread.sleep(200);
            try (Writer w = Files.newBufferedWriter(file)) {
                rec.conversation().write(w, List.of("kiscsi's engine and tgtd " + (digests ? "with CRC32C header and data digests" : "without digests")
                        + ": login, " + HostileScript.class.getSimpleName() + ", a NOP-Out, logout",
                        "recorded by " + HostileSeedCapture.class.getName() + "; I = initiator PDU, T = target PDU, connection, header, data"));
            }
            assertTrue(rec.conversation().events().size() > 10, "recorded " + rec.conversation().events().size() + " PDUs");
        }
    }
}
