package org.kiscsi.shell.completers;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.kiscsi.api.manage.HostInfo;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.node.KeyChoices;
import org.kiscsi.api.node.NodeKeys;

/**
 * Values for {@code -v}: those of the key named by the {@code -n} before it, where the key has a fixed
 * set ({@link KeyChoices}); for {@code iface.transport_name}, the transports installed now. Nothing
 * for free-text keys.
 */
@Service
public class KeyValueCompleter extends LiveCompleterSupport {
    @Override
    protected Collection<String> candidates(IscsiManagement m) throws Exception {
        return answer(m.hosts()).stream().map(HostInfo::transport).filter(t -> !t.isEmpty()).toList();
    }

    /** The key of the {@code -n}/{@code --name} closest before argument {@code cursor}, without the quotes a bracketed key needs. */
    static Optional<String> keyBefore(String[] args, int cursor) {
        for (int i = Math.min(cursor, args.length) - 2; i >= 0; i--) {
            if (args[i].equals("-n") || args[i].equals("--name")) {
                return Optional.of(unquoted(args[i + 1]));
            }
        }
        return Optional.empty();
    }

    static String unquoted(String word) {
        if (word.length() >= 2 && (word.startsWith("'") && word.endsWith("'") || word.startsWith("\"") && word.endsWith("\""))) {
            return word.substring(1, word.length() - 1);
        }
        return word;
    }

    /** The values offered after {@code -n key}. */
    public List<String> valuesOf(String key) {
        if (key.equals(NodeKeys.TRANSPORT_NAME) || key.equals("node.transport_name")) {
            return values();
        }
        return KeyChoices.of(key).orElse(List.of());
    }

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        Optional<String> key = keyBefore(commandLine.getArguments(), commandLine.getCursorArgumentIndex());
        if (key.isEmpty()) {
            return -1;
        }
        return new StringsCompleter(valuesOf(key.get())).complete(session, commandLine, candidates);
    }
}
