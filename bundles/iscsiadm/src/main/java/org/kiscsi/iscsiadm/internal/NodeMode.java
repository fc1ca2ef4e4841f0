package org.kiscsi.iscsiadm.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.manage.StartupFilter;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.mgmt.text.NodeOutcomes;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.mgmt.text.RecordText;
import org.kiscsi.mgmt.text.SessionOps;

/**
 * {@code iscsiadm -m node}: the record list and show, {@code -o new|update|delete}, login and
 * logout of the matching records, {@code -L}/{@code -U} by startup, rescan and statistics of their
 * sessions. The checks and their order are 2.1.8's {@code exec_node_op}. Unlike 2.1.8, which uses
 * the first {@code -I} only, every {@code -I} given selects.
 */
final class NodeMode implements Mode {
    /** What a login waits beyond the records' own worst case. */
    private static final Duration LOGIN_MARGIN = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "node";
    }

    @Override
    public Set<Option> options() {
        // 2.1.8: "RsPIdmlSonvupTULW"
        return Set.of(Option.RESCAN, Option.STATS, Option.PRINT, Option.INTERFACE, Option.DEBUG, Option.LOGIN,
                Option.SHOW, Option.OP, Option.NAME, Option.VALUE, Option.LOGOUT, Option.PORTAL, Option.TARGETNAME,
                Option.LOGIN_ALL, Option.LOGOUT_ALL, Option.NO_WAIT);
    }

    @Override
    public int run(CommandLine line, Env env) throws ClientException {
        boolean wait = !line.has(Option.NO_WAIT);
        if (line.has(Option.LOGIN_ALL)) {
            String w = line.value(Option.LOGIN_ALL).orElse("");
            if (!Set.of("automatic", "all", "manual", "onboot").contains(w)) {
                throw ClientException.usage("Invalid loginall option " + w + ".");
            }
            IscsiManagement m = env.management();
            return env.print(NodeOutcomes.startupLogin(env.await(m.loginAll(StartupFilter.parse(w), wait),
                    loginWait(env, NodeSelector.ALL)), wait));
        }
        if (line.has(Option.LOGOUT_ALL)) {
            String w = line.value(Option.LOGOUT_ALL).orElse("");
            if (!Set.of("automatic", "all", "manual").contains(w)) {
                throw ClientException.usage("Invalid logoutall option " + w + ".");
            }
            return env.print(NodeOutcomes.logout(env.await(env.management().logoutAll(StartupFilter.parse(w)))));
        }
        int op = Args.op(line);
        if (op == Args.OP_NEW) {
            return create(Args.selector(line, true), env);
        }
        return recordOp(line, op, Args.selector(line, false), Args.selects(line), env);
    }

    /**
     * Everything after {@code -o new} in {@code exec_node_op}, for the records {@code selector}
     * matches; also where {@code -m session -r sid} drops down to.
     */
    static int recordOp(CommandLine line, int op, NodeSelector selector, boolean selects, Env env) throws ClientException {
        boolean login = line.has(Option.LOGIN);
        boolean logout = line.has(Option.LOGOUT);
        if (line.has(Option.RESCAN)) {
            return rescan(selector, env);
        }
        if (line.has(Option.STATS)) {
            return statistics(selector, env);
        }
        if (login && logout) {
            throw new ClientException(IscsiError.INVAL, "Invalid parameters. Both login and logout passed in");
        }
        if ((login || logout) && op > Args.OP_NOOP) {
            throw new ClientException(IscsiError.INVAL, "Invalid parameters. Login/logout and op passed in");
        }
        IscsiManagement m;
        if (!login && !logout && op == Args.OP_NOOP && !selects) {
            int level = Args.printLevel(line);
            if (level != 0 && level != -1 && level != 1) {
                return env.print(RecordText.nodeList(List.of(), level));
            }
            m = env.management();
            return env.print(RecordText.nodeList(env.await(m.nodes(NodeSelector.ALL, false)), level));
        }
        m = env.management();
        if (login) {
            boolean wait = !line.has(Option.NO_WAIT);
            return env.print(NodeOutcomes.login(env.await(m.login(selector, wait), loginWait(env, selector)), wait));
        }
        if (logout) {
            return env.print(NodeOutcomes.logout(env.await(m.logout(selector))));
        }
        if (op == Args.OP_NOOP || op == Args.OP_SHOW) {
            boolean secrets = line.has(Option.SHOW);
            return env.print(RecordText.nodeShow(env.await(m.nodes(selector, secrets)), secrets));
        }
        if (op == Args.OP_UPDATE) {
            List<RecordChange> changes = checkedChanges(line.pairs());
            try {
                return env.print(NodeOutcomes.updated(env.await(m.updateNodes(selector, changes))));
            } catch (IscsiException e) {
                return env.print(NodeOutcomes.recordOpFailed(e.error(), e.getMessage()));
            }
        }
        if (op == Args.OP_DELETE) {
            try {
                return env.print(NodeOutcomes.deleted(env.await(m.deleteNodes(selector))));
            } catch (IscsiException e) {
                return env.print(NodeOutcomes.recordOpFailed(e.error(), e.getMessage()));
            }
        }
        throw new ClientException(IscsiError.INVAL, "operation is not supported.");
    }

    /** 2.1.8's {@code verify_node_params}: pairs needed; iface keys belong to iface mode, but for the transport name. */
    static List<RecordChange> checkedChanges(List<RecordChange> pairs) throws ClientException {
        if (pairs.isEmpty()) {
            throw new ClientException(IscsiError.INVAL, "update requires name and value");
        }
        List<RecordChange> changes = new ArrayList<>();
        for (RecordChange c : pairs) {
            if (c.key().startsWith("iface.") && !c.key().equals("iface.transport_name")) {
                throw new ClientException(IscsiError.INVAL, "Cannot modify " + c.key() + ". Use iface mode to update this value.");
            }
            // compat, as 2.1.8: old tools named the transport node.transport_name
            changes.add(c.key().equals("node.transport_name") ? new RecordChange("iface.transport_name", c.value()) : c);
        }
        return changes;
    }

    private static Duration loginWait(Env env, NodeSelector selector) {
        try {
            return env.await(env.management().loginWorstCase(selector)).plus(LOGIN_MARGIN);
        } catch (IscsiException e) {
            return Env.REQUEST_TIMEOUT;
        }
    }

    /**
     * {@code -o new}: a record per iface for a target and portal; with one of them missing, 2.1.8
     * adds again (with defaults) every record that matches ({@code add_static_recs}).
     */
    private static int create(NodeSelector selector, Env env) {
        IscsiManagement m = env.management();
        List<NodeSelector> exact = new ArrayList<>();
        if (selector.isExact()) {
            exact.add(selector);
        } else {
            for (NodeRecord r : env.await(m.nodes(selector, false))) {
                exact.add(NodeSelector.of(r.key()));
            }
            if (exact.isEmpty()) {
                return env.print(Printed.error(IscsiError.NO_OBJS_FOUND, "Error while adding record: no records found"));
            }
        }
        Printed p = Printed.NOTHING;
        for (NodeSelector s : exact) {
            List<Outcome<NodeKey>> outcomes;
            try {
                outcomes = env.await(m.createNodes(s));
            } catch (IscsiException e) {
                p = p.then(Printed.error(e.error(), e.getMessage()));
                continue;
            }
            List<NodeRecord> created = new ArrayList<>();
            for (Outcome<NodeKey> o : outcomes) {
                if (o.isOk()) {
                    created.addAll(env.await(m.nodes(NodeSelector.of(o.subject()), false)));
                } else {
                    p = p.then(Printed.error(o.status(), o.message().isEmpty() ? "Error while adding record: "
                            + org.kiscsi.mgmt.text.Words.errText(o.status()) : o.message()));
                }
            }
            p = p.then(RecordText.nodesAdded(created));
        }
        return env.print(p);
    }

    private static List<SessionDetails> sessionsOf(NodeSelector selector, Env env) {
        List<SessionDetails> l = new ArrayList<>();
        for (SessionDetails s : env.await(env.management().sessions())) {
            if (selector.matches(s.info().node())) {
                l.add(s);
            }
        }
        return l;
    }

    /** {@code -R}: rescans the sessions of the matching records. */
    static int rescan(NodeSelector selector, Env env) {
        List<SessionDetails> sessions = sessionsOf(selector, env);
        if (sessions.isEmpty()) {
            return env.print(SessionOps.noSession());
        }
        List<Outcome<org.kiscsi.api.session.SessionInfo>> all = new ArrayList<>();
        for (SessionDetails s : sessions) {
            all.addAll(env.await(env.management().rescan(s.info().sid())));
        }
        return env.print(SessionOps.rescanned(all));
    }

    /** {@code -s}: the statistics of the sessions of the matching records. */
    static int statistics(NodeSelector selector, Env env) {
        List<SessionDetails> sessions = sessionsOf(selector, env);
        if (sessions.isEmpty()) {
            return env.print(SessionOps.noSession());
        }
        for (SessionDetails s : sessions) {
            try {
                env.out.print(SessionOps.statistics(s.info(), env.await(env.management().statistics(s.info().sid()))));
            } catch (IscsiException e) {
                return env.print(SessionOps.statisticsFailed(e.error(), e.getMessage()));
            }
        }
        env.out.flush();
        return 0;
    }
}
