package org.kiscsi.iscsid.internal.manage;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.discovery.DiscoveryOp;
import org.kiscsi.api.manage.DaemonStatus;
import org.kiscsi.api.manage.DiscoverySettings;
import org.kiscsi.api.manage.HostInfo;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.manage.StartupFilter;
import org.kiscsi.api.manage.StartupLogins;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionStatistics;

/**
 * The daemon's {@link IscsiManagement}, with open-iscsi 2.1.8's semantics (usr/iscsiadm.c, idbm.c,
 * iface.c): over the node store open now, the session engine, the LUN service and the discovery methods, whichever are
 * installed at the time of each call. Store calls run on the daemon's workers (they may wait for the
 * store's file lock); logins, logouts and scans are the engine's and the SCSI layer's asynchronous
 * stages. Nothing here blocks its caller.
 */
public final class ManagementService implements IscsiManagement {
    private final ManageContext ctx;
    private final NodeOps nodes;
    private final LoginOps logins;
    private final SessionView sessions;
    private final IfaceOps ifaces;
    private final DiscoveryOps discovery;
    private final DiscoveryRuns discoveries;

    public ManagementService(ManageContext ctx) {
        this.ctx = ctx;
        RecordLocks locks = new RecordLocks();
        LunScans scans = new LunScans(ctx.luns());
        this.nodes = new NodeOps(ctx, locks);
        this.logins = new LoginOps(ctx, scans);
        this.sessions = new SessionView(ctx, scans);
        this.ifaces = new IfaceOps(ctx, locks, nodes);
        this.discovery = new DiscoveryOps(ctx, locks);
        this.discoveries = new DiscoveryRuns(ctx);
    }

    @Override
    public CompletionStage<DaemonStatus> status() {
        return Stages.on(ctx.workers(), () -> ctx.status().get());
    }

    @Override
    public CompletionStage<List<NodeRecord>> nodes(NodeSelector selector, boolean withSecrets) {
        return nodes.nodes(selector, withSecrets);
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> createNodes(NodeSelector exact) {
        return nodes.create(exact);
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> updateNodes(NodeSelector selector, List<RecordChange> changes) {
        return nodes.update(selector, changes);
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> deleteNodes(NodeSelector selector) {
        return nodes.delete(selector);
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> login(NodeSelector selector, boolean wait) {
        return logins.login(selector, wait);
    }

    @Override
    public CompletionStage<StartupLogins> loginAll(StartupFilter filter, boolean wait) {
        return logins.loginAll(filter, wait);
    }

    @Override
    public CompletionStage<List<Outcome<SessionInfo>>> logout(NodeSelector selector) {
        return logins.logout(selector);
    }

    @Override
    public CompletionStage<List<Outcome<SessionInfo>>> logoutAll(StartupFilter filter) {
        return logins.logoutAll(filter);
    }

    @Override
    public CompletionStage<Duration> loginWorstCase(NodeSelector selector) {
        return logins.worstCase(selector);
    }

    @Override
    public CompletionStage<List<SessionDetails>> sessions() {
        return sessions.sessions();
    }

    @Override
    public CompletionStage<SessionDetails> session(long sid) {
        return sessions.session(sid);
    }

    @Override
    public CompletionStage<Outcome<SessionInfo>> logoutSession(long sid) {
        return logins.logoutSession(sid);
    }

    @Override
    public CompletionStage<List<Outcome<SessionInfo>>> rescan(long sid) {
        return sessions.rescan(sid);
    }

    @Override
    public CompletionStage<SessionStatistics> statistics(long sid) {
        return sessions.statistics(sid);
    }

    @Override
    public CompletionStage<List<IfaceRecord>> ifaces() {
        return ifaces.ifaces();
    }

    @Override
    public CompletionStage<IfaceRecord> iface(String name) {
        return ifaces.iface(name);
    }

    @Override
    public CompletionStage<Outcome<String>> createIface(String name) {
        return ifaces.create(name);
    }

    @Override
    public CompletionStage<Outcome<String>> updateIface(String name, List<RecordChange> changes) {
        return ifaces.update(name, changes);
    }

    @Override
    public CompletionStage<Outcome<String>> deleteIface(String name) {
        return ifaces.delete(name);
    }

    @Override
    public CompletionStage<List<HostInfo>> hosts() {
        return sessions.hosts();
    }

    @Override
    public CompletionStage<List<DiscoveryRecord>> discoveryRecords(boolean withSecrets) {
        return discovery.records(withSecrets);
    }

    @Override
    public CompletionStage<Outcome<Portal>> createDiscoveryRecord(DiscoveryType type, Portal address) {
        return discovery.create(type, address);
    }

    @Override
    public CompletionStage<Outcome<Portal>> updateDiscoveryRecord(DiscoveryType type, Portal address,
            List<RecordChange> changes) {
        return discovery.update(type, address, changes);
    }

    @Override
    public CompletionStage<Outcome<Portal>> deleteDiscoveryRecord(DiscoveryType type, Portal address) {
        return discovery.delete(type, address);
    }

    @Override
    public CompletionStage<AppliedDiscovery> discover(DiscoveryType type, Portal address, DiscoverySettings settings,
            List<String> ifaces, Set<DiscoveryOp> ops) {
        return discoveries.discover(type, address, settings, ifaces, ops);
    }

    @Override
    public CompletionStage<Duration> discoveryWorstCase(DiscoveryType type, Portal address, DiscoverySettings settings) {
        return discoveries.worstCase(type, address, settings);
    }
}
