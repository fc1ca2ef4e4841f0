package org.kiscsi.iscsiadm.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.DaemonStatus;
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
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordSchema;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.node.Secrets;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionStatistics;
import org.kiscsi.store.file.FileNodeStore;

/**
 * The record operations of {@link IscsiManagement} over a {@link FileNodeStore}, done as open-iscsi
 * 2.1.8 does them (compiled-in defaults for {@code -o new}, its refusals and their words), with
 * sessions and hosts the test sets: what the CLI tests run bin/iscsiadm's modes against, on the same
 * record tree open-iscsi's own iscsiadm reads and writes.
 */
final class FileManagement implements IscsiManagement {
    private static final List<String> IDENTITY = List.of(NodeKeys.NAME, NodeKeys.TPGT, NodeKeys.ADDRESS, NodeKeys.PORT,
            NodeKeys.IFACE_NAME);

    private final FileNodeStore store;
    final List<SessionDetails> sessions = new ArrayList<>();
    final List<HostInfo> hosts = new ArrayList<>();

    /** Where messages say the records are: open-iscsi's oracle sees its tree as /etc/iscsi. */
    private final java.nio.file.Path shownRoot;

    FileManagement(FileNodeStore store) {
        this(store, store.root());
    }

    FileManagement(FileNodeStore store, java.nio.file.Path shownRoot) {
        this.store = store;
        this.shownRoot = shownRoot;
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static <T> CompletionStage<T> failed(IscsiError e, String message) {
        return CompletableFuture.failedFuture(new IscsiException(e, message));
    }

    @Override
    public CompletionStage<DaemonStatus> status() {
        return failed(IscsiError.OP_NOT_SUPP, "no daemon in this test");
    }

    @Override
    public CompletionStage<List<NodeRecord>> nodes(NodeSelector selector, boolean withSecrets) {
        List<NodeRecord> l = new ArrayList<>();
        for (NodeRecord r : store.nodes()) {
            if (selector.matches(r.key())) {
                l.add(withSecrets ? r : NodeRecord.of(RecordValues.of(Secrets.masked(r.values().asMap()))));
            }
        }
        return done(l);
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> createNodes(NodeSelector exact) {
        List<String> ifaceNames = exact.ifaces().isEmpty() ? List.of(NodeKey.DEFAULT_IFACE) : exact.ifaces();
        List<Outcome<NodeKey>> out = new ArrayList<>();
        for (String name : ifaceNames) {
            IfaceRecord iface = builtIn(name);
            if (iface == null) {
                iface = store.iface(name).orElse(null);
            }
            if (iface == null) {
                return failed(IscsiError.NOMEM, "Could not read iface info for " + name + ".");
            }
            NodeKey key = new NodeKey(exact.target().orElseThrow(), exact.portal().orElseThrow(), name);
            RecordValues defaults = RecordSchema.NODE.defaults();
            for (RecordSchema.Field f : RecordSchema.IFACE.fields()) {
                String v = iface.values().get(f.key(), f.defaultValue());
                defaults = v.isEmpty() ? defaults.without(f.key()) : defaults.with(f.key(), v);
            }
            store.putNode(NodeRecord.create(key, defaults));
            out.add(Outcome.ok(key));
        }
        return done(out);
    }

    /**
     * As 2.1.8's {@code idbm_node_set_param}: a key it refuses is refused for each matching record, in
     * order, each with its sentence, and nothing is written.
     */
    @Override
    public CompletionStage<List<Outcome<NodeKey>>> updateNodes(NodeSelector selector, List<RecordChange> changes) {
        String refusal = null;
        for (RecordChange c : changes) {
            if (IDENTITY.contains(c.key())) {
                refusal = "Cannot modify " + c.key() + ". It is used to look up the record and cannot be changed.";
            } else if (!RecordSchema.NODE.knows(c.key())) {
                refusal = "Cannot modify " + c.key() + ". Invalid param name.";
            }
            if (refusal != null) {
                break;
            }
        }
        List<Outcome<NodeKey>> out = new ArrayList<>();
        for (NodeRecord r : store.nodes()) {
            if (!selector.matches(r.key())) {
                continue;
            }
            if (refusal != null) {
                out.add(Outcome.failed(r.key(), IscsiError.INVAL, refusal));
                continue;
            }
            NodeRecord n = r;
            for (RecordChange c : changes) {
                n = n.with(c.key(), c.value());
            }
            store.putNode(n);
            out.add(Outcome.ok(r.key()));
        }
        return done(out);
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> deleteNodes(NodeSelector selector) {
        List<Outcome<NodeKey>> out = new ArrayList<>();
        for (NodeRecord r : store.nodes()) {
            if (!selector.matches(r.key())) {
                continue;
            }
            if (sessions.stream().anyMatch(s -> s.info().node().equals(r.key()))) {
                out.add(Outcome.failed(r.key(), IscsiError.SESS_EXISTS, "a session uses " + r.key()));
            } else {
                store.deleteNode(r.key());
                out.add(Outcome.ok(r.key()));
            }
        }
        return done(out);
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> login(NodeSelector selector, boolean wait) {
        if (store.nodes().stream().noneMatch(r -> selector.matches(r.key()))) {
            return done(List.of());
        }
        return failed(IscsiError.OP_NOT_SUPP, "no engine in this test");
    }

    @Override
    public CompletionStage<StartupLogins> loginAll(StartupFilter filter, boolean wait) {
        if (store.nodes().stream().noneMatch(r -> filter.selects(r.values().get(NodeKeys.STARTUP, "manual")))) {
            return failed(IscsiError.NO_OBJS_FOUND, "No records found");
        }
        return failed(IscsiError.OP_NOT_SUPP, "no engine in this test");
    }

    @Override
    public CompletionStage<List<Outcome<SessionInfo>>> logout(NodeSelector selector) {
        List<Outcome<SessionInfo>> out = new ArrayList<>();
        for (SessionDetails s : List.copyOf(sessions)) {
            if (selector.matches(s.info().node())) {
                sessions.remove(s);
                out.add(Outcome.ok(s.info()));
            }
        }
        return done(out);
    }

    @Override
    public CompletionStage<List<Outcome<SessionInfo>>> logoutAll(StartupFilter filter) {
        return logout(NodeSelector.ALL);
    }

    @Override
    public CompletionStage<Duration> loginWorstCase(NodeSelector selector) {
        return done(Duration.ofSeconds(1));
    }

    @Override
    public CompletionStage<List<SessionDetails>> sessions() {
        return done(List.copyOf(sessions));
    }

    @Override
    public CompletionStage<SessionDetails> session(long sid) {
        return sessions.stream().filter(s -> s.info().sid() == sid).findFirst().map(FileManagement::done)
                .orElseGet(() -> failed(IscsiError.SESS_NOT_FOUND, "no session " + sid));
    }

    @Override
    public CompletionStage<Outcome<SessionInfo>> logoutSession(long sid) {
        return session(sid).thenApply(s -> {
            sessions.remove(s);
            return Outcome.ok(s.info());
        });
    }

    @Override
    public CompletionStage<List<Outcome<SessionInfo>>> rescan(long sid) {
        List<Outcome<SessionInfo>> out = new ArrayList<>();
        sessions.stream().filter(s -> sid < 0 || s.info().sid() == sid).forEach(s -> out.add(Outcome.ok(s.info())));
        return done(out);
    }

    @Override
    public CompletionStage<SessionStatistics> statistics(long sid) {
        return failed(IscsiError.OP_NOT_SUPP, "no engine in this test");
    }

    private static IfaceRecord builtIn(String name) {
        if (name.equals("default") || name.equals("iser")) {
            return new IfaceRecord(name, RecordValues.empty().with(NodeKeys.IFACE_NAME, name)
                    .with(NodeKeys.TRANSPORT_NAME, name.equals("default") ? "tcp" : "iser"));
        }
        return null;
    }

    @Override
    public CompletionStage<List<IfaceRecord>> ifaces() {
        List<IfaceRecord> l = new ArrayList<>(List.of(builtIn("default"), builtIn("iser")));
        l.addAll(store.ifaces());
        return done(l);
    }

    @Override
    public CompletionStage<IfaceRecord> iface(String name) {
        IfaceRecord b = builtIn(name);
        if (b != null) {
            return done(b);
        }
        return store.iface(name).map(FileManagement::done)
                .orElseGet(() -> failed(IscsiError.IDBM, "Could not read iface " + name + ": no file " + shownRoot.resolve("ifaces").resolve(name)));
    }

    @Override
    public CompletionStage<Outcome<String>> createIface(String name) {
        if (builtIn(name) != null) {
            return done(Outcome.failed(name, IscsiError.INVAL, "iface " + name + " is a special interface and is not stored in "
                    + shownRoot.resolve("ifaces") + "."));
        }
        store.putIface(new IfaceRecord(name, RecordSchema.IFACE.defaults().with(NodeKeys.IFACE_NAME, name)));
        return done(Outcome.ok(name));
    }

    @Override
    public CompletionStage<Outcome<String>> updateIface(String name, List<RecordChange> changes) {
        IfaceRecord i = store.iface(name).orElse(null);
        if (i == null) {
            return done(Outcome.failed(name, IscsiError.INVAL, "Could not read iface info for " + name + "."));
        }
        RecordValues v = i.values();
        for (RecordChange c : changes) {
            v = v.with(c.key(), c.value());
        }
        store.putIface(new IfaceRecord(name, v));
        return done(Outcome.ok(name));
    }

    @Override
    public CompletionStage<Outcome<String>> deleteIface(String name) {
        if (builtIn(name) != null) {
            return done(Outcome.failed(name, IscsiError.INVAL, "iface " + name + " is a special interface and cannot be deleted."));
        }
        // as 2.1.8: the records bound to the iface go first, unless a session uses one
        for (NodeRecord r : store.nodes()) {
            if (r.iface().equals(name)) {
                if (sessions.stream().anyMatch(s -> s.info().node().equals(r.key()))) {
                    return done(Outcome.failed(name, IscsiError.SESS_EXISTS, "a session uses " + r.key()));
                }
                store.deleteNode(r.key());
            }
        }
        if (!store.deleteIface(name)) {
            return done(Outcome.failed(name, IscsiError.INVAL, "Could not read iface info for " + name + "."));
        }
        return done(Outcome.ok(name));
    }

    @Override
    public CompletionStage<List<HostInfo>> hosts() {
        return done(List.copyOf(hosts));
    }

    @Override
    public CompletionStage<List<DiscoveryRecord>> discoveryRecords(boolean withSecrets) {
        return done(store.discoveries());
    }

    @Override
    public CompletionStage<Outcome<Portal>> createDiscoveryRecord(DiscoveryType type, Portal address) {
        return failed(IscsiError.OP_NOT_SUPP, "not in this test");
    }

    @Override
    public CompletionStage<Outcome<Portal>> updateDiscoveryRecord(DiscoveryType type, Portal address, List<RecordChange> changes) {
        return failed(IscsiError.OP_NOT_SUPP, "not in this test");
    }

    @Override
    public CompletionStage<Outcome<Portal>> deleteDiscoveryRecord(DiscoveryType type, Portal address) {
        return failed(IscsiError.OP_NOT_SUPP, "not in this test");
    }

    @Override
    public CompletionStage<org.kiscsi.api.discovery.AppliedDiscovery> discover(DiscoveryType type, Portal address,
            org.kiscsi.api.manage.DiscoverySettings settings, List<String> ifaces,
            java.util.Set<org.kiscsi.api.discovery.DiscoveryOp> ops) {
        return failed(IscsiError.OP_NOT_SUPP, "not in this test");
    }

    @Override
    public CompletionStage<Duration> discoveryWorstCase(DiscoveryType type, Portal address,
            org.kiscsi.api.manage.DiscoverySettings settings) {
        return failed(IscsiError.OP_NOT_SUPP, "not in this test");
    }
}
