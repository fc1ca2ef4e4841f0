package org.kiscsi.iscsiadm.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.mgmt.text.Printed;

/**
 * What a mode works with: where it prints, the daemon's typed management service (made on first
 * use, so parsing errors never need a daemon) and the plain daemon client of {@code -m daemon}.
 * Waiting on the service happens here, the one blocking edge, always with a deadline.
 */
final class Env {
    /** How long a request other than a login may take. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(130);

    final PrintStream out;
    final PrintStream err;
    private final Supplier<DaemonClient> daemon;
    private final Supplier<IscsiManagement> management;
    private IscsiManagement made;

    Env(PrintStream out, PrintStream err, Supplier<DaemonClient> daemon, Supplier<IscsiManagement> management) {
        this.out = out;
        this.err = err;
        this.daemon = daemon;
        this.management = management;
    }

    DaemonClient daemon() {
        return daemon.get();
    }

    IscsiManagement management() {
        if (made == null) {
            made = management.get();
        }
        return made;
    }

    /** The stage's value; its failure as the {@link IscsiException} it carries. */
    <T> T await(CompletionStage<T> stage, Duration timeout) {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof IscsiException) {
                throw (IscsiException) c;
            }
            throw new IscsiException(IscsiError.ISCSID_COMM, "the iSCSI daemon's answer failed: " + c, c);
        } catch (TimeoutException e) {
            throw new IscsiException(IscsiError.REQ_TIMEDOUT, "the iSCSI daemon did not answer within "
                    + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IscsiException(IscsiError.GENERIC, "interrupted while waiting for the iSCSI daemon");
        }
    }

    <T> T await(CompletionStage<T> stage) {
        return await(stage, REQUEST_TIMEOUT);
    }

    /** Prints what a formatter made; its exit code. */
    int print(Printed p) {
        out.print(p.stdout());
        out.flush();
        err.print(p.stderr());
        err.flush();
        return p.exitCode();
    }
}
