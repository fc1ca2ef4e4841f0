package org.kiscsi.shell.completers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.kiscsi.api.node.RecordSchema;

/**
 * The keys a discovery record update takes ({@code -n}): open-iscsi's SendTargets and iSNS record keys,
 * without the ones that name the record (its type and address).
 */
@Service
public class DiscoveryKeyCompleter implements Completer {
    private static final Set<String> IDENTITY = Set.of("discovery.type", "discovery.sendtargets.address",
            "discovery.sendtargets.port");

    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (RecordSchema schema : List.of(RecordSchema.SENDTARGETS, RecordSchema.ISNS)) {
            for (RecordSchema.Field f : schema.fields()) {
                if (!IDENTITY.contains(f.key()) && !keys.contains(f.key())) {
                    keys.add(f.key());
                }
            }
        }
        return keys;
    }

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(keys()).complete(session, commandLine, candidates);
    }
}
