package org.kiscsi.mgmt;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

import org.kiscsi.api.manage.IscsiManagement;

/**
 * One operation of the management service as it travels: its wire name, the protocol version it
 * appeared in, how its arguments and its result are carried, and which {@link IscsiManagement}
 * method answers it. See {@link Catalogue}.
 */
public final class MgmtOperation<A, R> {
    private final String name;
    private final int since;
    final ArgCodec<A> args;
    final ResultCodec<R> result;
    final BiFunction<IscsiManagement, A, CompletionStage<R>> invoke;
    /**
     * For operations whose wait the service derives (logins, discoveries): their worst case, which
     * the endpoint announces before it starts them; null for the others.
     */
    final BiFunction<IscsiManagement, A, CompletionStage<Duration>> worstCase;
    /** What the announced wait is for ({@code login}, {@code discovery}). */
    final String waitNote;

    MgmtOperation(String name, int since, ArgCodec<A> args, ResultCodec<R> result,
            BiFunction<IscsiManagement, A, CompletionStage<R>> invoke,
            BiFunction<IscsiManagement, A, CompletionStage<Duration>> worstCase, String waitNote) {
        this.name = name;
        this.since = since;
        this.args = args;
        this.result = result;
        this.invoke = invoke;
        this.worstCase = worstCase;
        this.waitNote = waitNote;
    }

    /** The wire name ({@code node.login}); never changes once released. */
    public String name() {
        return name;
    }

    /** The protocol version the operation appeared in. */
    public int since() {
        return since;
    }

    /** Whether the daemon derives its wait from the worst case of a login of the records acted on. */
    public boolean isLogin() {
        return "login".equals(waitNote);
    }

    /** Whether the daemon announces a wait derived from the operation's own worst case (logins, discoveries). */
    public boolean announcesWorstCase() {
        return worstCase != null;
    }

    @Override
    public String toString() {
        return name + " (since protocol " + since + ")";
    }
}
