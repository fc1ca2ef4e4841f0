package org.kiscsi.iscsiadm.internal;

import java.util.Map;
import java.util.Set;

import org.kiscsi.mgmt.MgmtOp;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;

/**
 * {@code iscsiadm -m daemon}, a kiscsi extension: the daemon's status, one {@code key = value} line
 * each (state, pid, identity, node store, which providers are present).
 */
final class DaemonMode implements Mode {
    @Override
    public String name() {
        return "daemon";
    }

    @Override
    public Set<Option> options() {
        return Set.of(Option.PRINT, Option.DEBUG);
    }

    @Override
    public int run(CommandLine line, Env env) throws ClientException {
        MgmtResponse r = env.daemon().call(MgmtRequest.of(MgmtOp.STATUS));
        for (Map<String, String> row : r.rows()) {
            row.forEach((k, v) -> env.out.println(k + " = " + v));
        }
        return 0;
    }
}
