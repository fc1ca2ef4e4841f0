package org.kiscsi.iscsid.internal.manage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.DaemonStatus;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.scsi.BlockDeviceOptions;
import org.kiscsi.scsi.SessionLunService;
import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.testkit.loopback.LoopbackTransport;
import org.kiscsi.testkit.target.TestTarget;

/**
 * The management service over a real engine, SCSI layer and node store, logging in to the testkit's
 * target over the in-memory loopback transport: iscsid.conf's defaults are test-sized (2 s login,
 * no retries, no NOP-Outs).
 */
final class ManageFixture implements AutoCloseable {
    static final String IQN = "iqn.2026-11.org.kiscsi.test:manage";
    static final String INITIATOR = "iqn.2026-11.org.kiscsi.test:initiator";
    static final RecordValues CONF = RecordValues.empty().with(NodeKeys.LOGIN_TIMEOUT, "2").with(NodeKeys.LOGOUT_TIMEOUT, "2")
            .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0").with(NodeKeys.NOOP_OUT_INTERVAL, "0")
            .with(NodeKeys.DEFAULT_TIME2WAIT, "0").with(NodeKeys.STARTUP, "manual");

    final LoopbackTransport loopback = new LoopbackTransport();
    final IscsiEngine engine = IscsiEngine.builder().initiatorName(INITIATOR).transport(loopback).build();
    final SessionLunService luns = new SessionLunService(engine, BlockDeviceOptions.DEFAULTS);
    final TestTarget target;
    /** The target's portal with its TPGT (open-iscsi's layout keeps one TPGT-less record per portal). */
    final Portal portal;
    /** The target's portal as a record made without a TPGT names it. */
    final Portal bare;
    final NodeStore store;
    final ExecutorService workers = Executors.newFixedThreadPool(4);
    final ManagementService service;
    volatile Set<String> transports = Set.of("tcp", LoopbackTransport.NAME);
    /** The discovery methods installed: none unless a test installs one. */
    final java.util.Map<org.kiscsi.api.node.DiscoveryType, org.kiscsi.spi.discovery.DiscoveryProvider> discovery =
            new java.util.concurrent.ConcurrentHashMap<>();

    ManageFixture(NodeStore store, Path root) throws IOException {
        this.store = store;
        target = TestTarget.start(IQN, 2048);
        target.addLun(3, 4096);
        portal = target.attach(loopback);
        bare = portal.withoutTpgt();
        service = new ManagementService(new ManageContext(() -> Optional.of(store), () -> Optional.of(engine),
                () -> Optional.of(luns), type -> Optional.ofNullable(discovery.get(type)), () -> transports, () -> CONF, type -> RecordValues.empty(), () -> INITIATOR,
                () -> new DaemonStatus(java.util.Map.of("iscsid.state", "running")), root, workers));
    }

    NodeSelector selector() {
        return new NodeSelector(Optional.of(IscsiName.of(IQN)), Optional.of(portal), java.util.List.of());
    }

    NodeSelector selector(String iface) {
        return new NodeSelector(Optional.of(IscsiName.of(IQN)), Optional.of(portal), java.util.List.of(iface));
    }

    /** An iface over the loopback transport, and a record bound to it. */
    void loopbackRecord(String iface) throws Exception {
        loopbackRecord(iface, selector(iface));
    }

    void loopbackRecord(String iface, NodeSelector record) throws Exception {
        await(service.createIface(iface));
        await(service.updateIface(iface, java.util.List.of(new org.kiscsi.api.manage.RecordChange(NodeKeys.TRANSPORT_NAME,
                LoopbackTransport.NAME))));
        java.util.List<org.kiscsi.api.manage.Outcome<org.kiscsi.api.node.NodeKey>> o = await(service.createNodes(record));
        if (!o.get(0).isOk()) {
            throw new AssertionError(o.toString());
        }
    }

    static <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** The IscsiException a stage failed with. */
    static IscsiException failure(CompletionStage<?> s) throws Exception {
        try {
            s.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = Stages.unwrap(e.getCause());
            if (c instanceof IscsiException i) {
                return i;
            }
            throw new AssertionError("failed with " + c, c);
        }
        throw new AssertionError("did not fail");
    }

    @Override
    public void close() throws IOException {
        luns.close();
        engine.close();
        target.close();
        workers.shutdownNow();
        store.close();
    }
}
