package org.kiscsi.shell.completers;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.kiscsi.api.manage.IscsiManagement;

/**
 * A completer whose candidates come from the running daemon's management service. Completion runs
 * on the console's thread while the admin waits at TAB: an answer slower than {@link #WAIT_MS}, or a
 * failed one, offers nothing rather than holding the console.
 */
public abstract class LiveCompleterSupport implements Completer {
    static final long WAIT_MS = 2000;

    @Reference
    IscsiManagement management;

    /** The candidates, from the service. */
    protected abstract Collection<String> candidates(IscsiManagement m) throws Exception;

    /** The candidates, sorted and without duplicates; empty when the service did not answer in time. */
    public List<String> values() {
        try {
            return List.copyOf(new TreeSet<>(candidates(management)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (Exception e) {
            return List.of();
        }
    }

    static <T> T answer(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(values()).complete(session, commandLine, candidates);
    }
}
