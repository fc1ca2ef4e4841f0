package org.kiscsi.shell.completers;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordSchema;

/** The keys an iface update takes ({@code -n}): open-iscsi's iface keys but the iface's name. */
@Service
public class IfaceKeyCompleter implements Completer {
    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (RecordSchema.Field f : RecordSchema.IFACE.fields()) {
            if (!f.key().equals(NodeKeys.IFACE_NAME)) {
                keys.add(f.key());
            }
        }
        return keys;
    }

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(keys()).complete(session, commandLine, candidates);
    }
}
