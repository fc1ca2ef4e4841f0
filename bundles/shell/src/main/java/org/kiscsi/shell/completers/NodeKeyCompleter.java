package org.kiscsi.shell.completers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordSchema;

/**
 * The keys a node record update takes ({@code -n}): open-iscsi's node keys in show order, without the
 * ones that name the record ({@code node.name}, the portal, the iface) and the {@code iface.*} keys
 * that belong to the iface commands, plus kiscsi's own keys.
 */
@Service
public class NodeKeyCompleter implements Completer {
    /** Keys that identify a record: an update refuses them. */
    private static final Set<String> IDENTITY = Set.of(NodeKeys.NAME, NodeKeys.TPGT, NodeKeys.ADDRESS, NodeKeys.PORT,
            NodeKeys.IFACE_NAME);
    /** kiscsi's own keys, which open-iscsi's schema does not list. */
    private static final List<String> OWN = List.of(NodeKeys.AUTH_STRICT, NodeKeys.SCSI_CMD_TIMEOUT);

    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (RecordSchema.Field f : RecordSchema.NODE.fields()) {
            String k = f.key();
            if (!IDENTITY.contains(k) && (!k.startsWith("iface.") || k.equals(NodeKeys.TRANSPORT_NAME))) {
                keys.add(k);
            }
        }
        for (String k : OWN) {
            if (!keys.contains(k)) {
                keys.add(k);
            }
        }
        return keys;
    }

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(keys()).complete(session, commandLine, candidates);
    }
}
