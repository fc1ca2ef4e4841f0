package org.kiscsi.shell.completers;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.LunSummary;

/**
 * The LUNs ({@code -l}) of the session the {@code -r} before it names, as the daemon last scanned them;
 * nothing without {@code -r} or when the daemon does not answer within {@link LiveCompleterSupport#WAIT_MS}.
 */
@Service
public class LunNumberCompleter implements Completer {
    @Reference
    IscsiManagement management;

    /** The LUN numbers of session {@code sid}, sorted. */
    public List<String> lunsOf(long sid) {
        try {
            Collection<LunSummary> l = LiveCompleterSupport.answer(management.session(sid)).luns();
            TreeSet<Long> n = new TreeSet<>();
            l.forEach(s -> n.add(s.lun()));
            return n.stream().map(Object::toString).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (Exception e) {
            return List.of();
        }
    }

    static Optional<Long> sidBefore(String[] args, int cursor) {
        for (int i = Math.min(cursor, args.length) - 2; i >= 0; i--) {
            if (args[i].equals("-r") || args[i].equals("--sid")) {
                try {
                    return Optional.of(Long.parseLong(args[i + 1].trim()));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        Optional<Long> sid = sidBefore(commandLine.getArguments(), commandLine.getCursorArgumentIndex());
        if (sid.isEmpty()) {
            return -1;
        }
        return new StringsCompleter(lunsOf(sid.get())).complete(session, commandLine, candidates);
    }
}
