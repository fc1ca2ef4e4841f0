package org.kiscsi.mgmt;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
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
 * The management service of a daemon reached over its socket: each call is one request (at the
 * highest version both speak), run on {@code executor}; its stage completes with the typed result,
 * or with an {@link IscsiException} carrying the daemon's error and message. Per-subject results come
 * back as {@link Outcome}s. Transport failures are iscsiadm's: no daemon ISCSID_NOTCONN, no answer in
 * time REQ_TIMEDOUT, a garbled answer ISCSID_COMM.
 *
 * <p>Against a daemon of protocol 1, the operations protocol 1 had ({@code status}, login, logout,
 * the session list) are carried in its terms (see {@link V1Fallback}); the others fail with
 * INVALID_MGMT_REQ (16, what such a daemon answers to a request it does not know) and "the daemon
 * speaks management protocol 1..1; &lt;op&gt; needs 2".
 */
public final class RemoteManagement implements IscsiManagement {
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kiscsi-mgmt-call");
        t.setDaemon(true);
        return t;
    });

    private final MgmtClient client;
    private final Executor executor;

    public RemoteManagement(MgmtClient client, Executor executor) {
        this.client = client;
        this.executor = executor;
    }

    /** Calls run on a shared pool of daemon threads. */
    public RemoteManagement(MgmtClient client) {
        this(client, CALLS);
    }

    public MgmtClient client() {
        return client;
    }

    private interface Fallback<R> {
        R call() throws IOException;
    }

    private <A, R> CompletionStage<R> run(MgmtOperation<A, R> op, A args) {
        return run(op, args, null);
    }

    private <A, R> CompletionStage<R> run(MgmtOperation<A, R> op, A args, Fallback<R> version1) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                try {
                    return exchange(op, args);
                } catch (ProtocolRangeException e) {
                    if (version1 != null && e.daemonMax() == 1) {
                        return version1.call();
                    }
                    throw new IscsiException(IscsiError.INVALID_MGMT_REQ, e.getMessage(), e);
                }
            } catch (IOException e) {
                throw transportFailure(e);
            } catch (IllegalArgumentException e) {
                throw new IscsiException(IscsiError.ISCSID_COMM, "garbled answer to " + op.name() + " from the iSCSI daemon at "
                        + client.socket() + ": " + e.getMessage(), e);
            }
        }, executor);
    }

    private <A, R> R exchange(MgmtOperation<A, R> op, A args) throws IOException {
        MgmtResponse r = client.negotiate(op.name(), op.args.encode(args), op.since());
        if (!r.isOk()) {
            throw new IscsiException(IscsiError.ofCode(r.status()), r.message());
        }
        return op.result.decode(r.table(), op.name() + " answer");
    }

    /** An I/O failure as iscsiadm's error class, naming the socket. */
    IscsiException transportFailure(IOException e) {
        if (e instanceof ConnectException) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return new IscsiException(IscsiError.ISCSID_NOTCONN, "can not connect to iSCSI daemon at " + client.socket()
                    + " (" + (c.getMessage() == null ? c : c.getMessage()) + ")", e);
        }
        if (e instanceof SocketTimeoutException) {
            return new IscsiException(IscsiError.REQ_TIMEDOUT, e.getMessage(), e);
        }
        if (e instanceof MgmtProtocolException) {
            return new IscsiException(IscsiError.ISCSID_COMM, "garbled answer from the iSCSI daemon at " + client.socket()
                    + ": " + e.getMessage(), e);
        }
        return new IscsiException(IscsiError.ISCSID_COMM, "talking to the iSCSI daemon at " + client.socket()
                + " failed: " + e, e);
    }

    private V1Fallback v1() {
        return new V1Fallback(client);
    }

    @Override
    public CompletionStage<DaemonStatus> status() {
        return run(Catalogue.STATUS, null);
    }

    @Override
    public CompletionStage<List<NodeRecord>> nodes(NodeSelector selector, boolean withSecrets) {
        return run(Catalogue.NODES, new Catalogue.SelectorFlag(selector, withSecrets));
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> createNodes(NodeSelector exact) {
        return run(Catalogue.CREATE_NODES, exact);
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> updateNodes(NodeSelector selector, List<RecordChange> changes) {
        return run(Catalogue.UPDATE_NODES, new Catalogue.SelectorChanges(selector, changes));
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> deleteNodes(NodeSelector selector) {
        return run(Catalogue.DELETE_NODES, selector);
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> login(NodeSelector selector, boolean wait) {
        return run(Catalogue.LOGIN, new Catalogue.SelectorFlag(selector, wait), () -> v1().login(selector, wait));
    }

    @Override
    public CompletionStage<StartupLogins> loginAll(StartupFilter filter, boolean wait) {
        return run(Catalogue.LOGIN_ALL, new Catalogue.FilterFlag(filter, wait));
    }

    @Override
    public CompletionStage<List<Outcome<SessionInfo>>> logout(NodeSelector selector) {
        return run(Catalogue.LOGOUT, selector, () -> v1().logout(selector));
    }

    @Override
    public CompletionStage<List<Outcome<SessionInfo>>> logoutAll(StartupFilter filter) {
        return run(Catalogue.LOGOUT_ALL, filter);
    }

    @Override
    public CompletionStage<Duration> loginWorstCase(NodeSelector selector) {
        return run(Catalogue.LOGIN_WORST_CASE, selector);
    }

    @Override
    public CompletionStage<List<SessionDetails>> sessions() {
        return run(Catalogue.SESSIONS, null, () -> v1().sessions());
    }

    @Override
    public CompletionStage<SessionDetails> session(long sid) {
        return run(Catalogue.SESSION, sid, () -> v1().session(sid));
    }

    @Override
    public CompletionStage<Outcome<SessionInfo>> logoutSession(long sid) {
        return run(Catalogue.LOGOUT_SESSION, sid, () -> v1().logoutSession(sid));
    }

    @Override
    public CompletionStage<List<Outcome<SessionInfo>>> rescan(long sid) {
        return run(Catalogue.RESCAN, sid);
    }

    @Override
    public CompletionStage<SessionStatistics> statistics(long sid) {
        return run(Catalogue.STATISTICS, sid);
    }

    @Override
    public CompletionStage<List<IfaceRecord>> ifaces() {
        return run(Catalogue.IFACES, null);
    }

    @Override
    public CompletionStage<IfaceRecord> iface(String name) {
        return run(Catalogue.IFACE, name);
    }

    @Override
    public CompletionStage<Outcome<String>> createIface(String name) {
        return run(Catalogue.CREATE_IFACE, name);
    }

    @Override
    public CompletionStage<Outcome<String>> updateIface(String name, List<RecordChange> changes) {
        return run(Catalogue.UPDATE_IFACE, new Catalogue.NameChanges(name, changes));
    }

    @Override
    public CompletionStage<Outcome<String>> deleteIface(String name) {
        return run(Catalogue.DELETE_IFACE, name);
    }

    @Override
    public CompletionStage<List<HostInfo>> hosts() {
        return run(Catalogue.HOSTS, null);
    }

    @Override
    public CompletionStage<List<DiscoveryRecord>> discoveryRecords(boolean withSecrets) {
        return run(Catalogue.DISCOVERY_RECORDS, withSecrets);
    }

    @Override
    public CompletionStage<Outcome<Portal>> createDiscoveryRecord(DiscoveryType type, Portal address) {
        return run(Catalogue.CREATE_DISCOVERY, new Catalogue.DiscoveryAddress(type, address));
    }

    @Override
    public CompletionStage<Outcome<Portal>> updateDiscoveryRecord(DiscoveryType type, Portal address,
            List<RecordChange> changes) {
        return run(Catalogue.UPDATE_DISCOVERY, new Catalogue.DiscoveryChanges(type, address, changes));
    }

    @Override
    public CompletionStage<Outcome<Portal>> deleteDiscoveryRecord(DiscoveryType type, Portal address) {
        return run(Catalogue.DELETE_DISCOVERY, new Catalogue.DiscoveryAddress(type, address));
    }

    @Override
    public CompletionStage<AppliedDiscovery> discover(DiscoveryType type, Portal address, DiscoverySettings settings,
            List<String> ifaces, Set<DiscoveryOp> ops) {
        return run(Catalogue.DISCOVER, new DiscoveryCodecs.DiscoverArgs(type, address, settings, ifaces, ops));
    }

    @Override
    public CompletionStage<Duration> discoveryWorstCase(DiscoveryType type, Portal address, DiscoverySettings settings) {
        return run(Catalogue.DISCOVERY_WORST_CASE, new DiscoveryCodecs.DiscoverArgs(type, address, settings, List.of(),
                Set.of()));
    }
}
