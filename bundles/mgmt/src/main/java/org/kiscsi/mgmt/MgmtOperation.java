package org.kiscsi.mgmt;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.NodeSelector;

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
    /** For logins: the records whose worst case sets the wait. */
    final Function<A, Optional<NodeSelector>> loginScope;

    MgmtOperation(String name, int since, ArgCodec<A> args, ResultCodec<R> result,
            BiFunction<IscsiManagement, A, CompletionStage<R>> invoke, Function<A, Optional<NodeSelector>> loginScope) {
        this.name = name;
        this.since = since;
        this.args = args;
        this.result = result;
        this.invoke = invoke;
        this.loginScope = loginScope;
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
        return loginScope != null;
    }

    @Override
    public String toString() {
        return name + " (since protocol " + since + ")";
    }
}
