package org.kiscsi.shell.commands;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.mgmt.text.Printed;

/**
 * What every {@code iscsi:*} command does around its operation: it waits for the management service's
 * answer (bounded, and interrupted by Ctrl-C: Karaf interrupts the command's thread), prints the
 * standard output bin/iscsiadm would print, and ends as a failed command ({@link IscsiadmFailure})
 * where bin/iscsiadm exits non-zero. An operation the service refuses as a whole is printed as
 * bin/iscsiadm prints it ({@code iscsiadm: message}, its error's code).
 */
public abstract class IscsiCommandSupport implements Action {
    /** How long a request other than a login may take (bin/iscsiadm's own bound). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(130);

    @Reference
    IscsiManagement management;

    /** The operation: what bin/iscsiadm would print for it. */
    protected abstract Printed run() throws CommandException;

    @Override
    public Object execute() throws Exception {
        Printed p;
        try {
            p = run();
        } catch (IscsiException e) {
            p = Printed.error(e.error(), e.getMessage());
        }
        return show(p, System.out, System.err);
    }

    /** Prints {@code p}'s standard output; a non-zero exit becomes the command's failure. */
    static Object show(Printed p, PrintStream out, PrintStream err) throws IscsiadmFailure {
        out.print(p.stdout());
        out.flush();
        if (p.exitCode() != 0) {
            throw new IscsiadmFailure(p);
        }
        if (!p.stderr().isEmpty()) {
            err.print(p.stderr()); // warnings of a command that succeeded
            err.flush();
        }
        return null;
    }

    <T> T await(CompletionStage<T> stage) throws CommandException {
        return await(stage, REQUEST_TIMEOUT);
    }

    /**
     * The stage's value within {@code timeout}; its failure as the {@link IscsiException} it carries.
     * Ctrl-C ends the wait, not the operation: the daemon goes on with it.
     */
    static <T> T await(CompletionStage<T> stage, Duration timeout) throws CommandException {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof IscsiException) {
                throw (IscsiException) c;
            }
            throw new IscsiException(IscsiError.GENERIC, "the iSCSI daemon's answer failed: " + c, c);
        } catch (TimeoutException e) {
            throw new IscsiException(IscsiError.REQ_TIMEDOUT, "the iSCSI daemon did not answer within "
                    + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("Interrupted: no longer waiting for the iSCSI daemon, which goes on with the"
                    + " operation (iscsi:session shows what it did)");
        }
    }
}
