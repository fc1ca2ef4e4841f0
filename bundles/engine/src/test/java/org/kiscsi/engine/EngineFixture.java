package org.kiscsi.engine;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.transport.tcp.TcpTransport;

/** An engine over the real TCP transport, with short per-node timeouts for tests. */
final class EngineFixture implements AutoCloseable {
    static final String INITIATOR = "iqn.2026-11.org.kiscsi.test:initiator";
    final TcpTransport tcp = new TcpTransport();
    final IscsiEngine engine = IscsiEngine.builder().initiatorName(INITIATOR).initiatorAlias("kiscsi-test").transport(tcp).build();

    /** A record with test-sized timeouts: 3 s login/logout, 5 s commands, no login retries. */
    static NodeRecord record(String target, Portal portal) {
        return NodeRecord.create(new NodeKey(IscsiName.of(target), portal, null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "3").with(NodeKeys.LOGOUT_TIMEOUT, "3")
                .with(NodeKeys.SCSI_CMD_TIMEOUT, "5").with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0"));
    }

    /** A target on {@code tgtd} with one file-backed LUN (LUN 1) that accepts CRC32C digests, open to every initiator. */
    static TgtTarget targetWithDigests(Tgtd tgtd, String iqn, long lunBytes) {
        TgtTarget target = tgtd.createTarget(iqn);
        target.addLun(1, LunBacking.file(lunBytes));
        target.set("HeaderDigest", "CRC32C,None");
        target.set("DataDigest", "CRC32C,None");
        target.allowAll();
        return target;
    }

    static <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    static Duration seconds(int s) {
        return Duration.ofSeconds(s);
    }

    @Override
    public void close() {
        engine.close();
        tcp.close();
    }
}
