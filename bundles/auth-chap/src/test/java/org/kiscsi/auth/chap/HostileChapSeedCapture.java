package org.kiscsi.auth.chap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.testkit.hostile.SeedRecorder;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * Records the hostile CHAP target's seeds: the engine logs in to a real tgtd with one-way CHAP and
 * with mutual CHAP (tgtadm accounts) through a {@link SeedRecorder}, then logs out. Not a test (no
 * surefire name pattern matches it): run on demand with {@code -Dtest=HostileChapSeedCapture} and
 * {@code -Dkiscsi.hostile.capture=DIR} (e.g. {@code src/test/resources/org/kiscsi/auth/chap}).
 */
@EnabledIfSystemProperty(named = "kiscsi.hostile.capture", matches = ".+")
class HostileChapSeedCapture {
    @Test
    void capture() throws Exception {
        Path dir = Path.of(System.getProperty("kiscsi.hostile.capture"));
        try (Tgtd tgtd = Tgtd.start(Loopback.IPV4)) {
            var oneWay = tgtd.createTarget(HostileChapIT.ONE_WAY);
            oneWay.addLun(1, LunBacking.file(1 << 20));
            oneWay.requireChap(HostileChapIT.USER).allowAll();
            var mutual = tgtd.createTarget(HostileChapIT.MUTUAL);
            mutual.addLun(1, LunBacking.file(1 << 20));
            mutual.requireMutualChap(HostileChapIT.MUTUAL_USER, HostileChapIT.TARGET_USER).allowAll();
            capture(tgtd, HostileChapIT.ONE_WAY, false, dir.resolve(HostileChapIT.ONE_WAY_SEEDS));
            capture(tgtd, HostileChapIT.MUTUAL, true, dir.resolve(HostileChapIT.MUTUAL_SEEDS));
        }
    }

    private static void capture(Tgtd tgtd, String iqn, boolean mutual, Path file) throws Exception {
        TcpTransport tcp = new TcpTransport();
        IscsiEngine engine = IscsiEngine.builder().initiatorName(HostileChapIT.INITIATOR).transport(tcp)
                .authenticator(new ChapAuthenticatorFactory()).build();
        try (SeedRecorder rec = SeedRecorder.start(tgtd.portal())) {
            NodeRecord node = mutual ? HostileChapIT.mutualRecord(rec.portal(1)) : HostileChapIT.oneWayRecord(rec.portal(1));
            SessionInfo s = engine.login(node).toCompletableFuture().get(20, TimeUnit.SECONDS);
            engine.logout(s.sid()).toCompletableFuture().get(20, TimeUnit.SECONDS);
            Thread.sleep(200);
            try (Writer w = Files.newBufferedWriter(file)) {
                rec.conversation().write(w, List.of("kiscsi's engine and tgtd: a login with " + (mutual ? "mutual" : "one-way")
                        + " CHAP (MD5, tgtadm accounts), logout",
                        "recorded by " + HostileChapSeedCapture.class.getName() + "; I = initiator PDU, T = target PDU, connection, header, data"));
            }
            assertTrue(rec.conversation().events().size() >= 6, "recorded " + rec.conversation().events().size() + " PDUs");
        } finally {
            engine.close();
            tcp.close();
        }
    }
}
