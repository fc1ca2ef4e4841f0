package org.kiscsi.transport.tcp.internal;

import java.util.function.Supplier;

import org.kiscsi.transport.tcp.TcpOptions;

/**
 * A transport's options as they are now. The settings that can change under live connections
 * (busy poll, read coalescing, AHS check, send-queue limit) are read from here where they are used,
 * so a configuration change applies to every open connection at once.
 */
public final class LiveOptions implements Supplier<TcpOptions> {
    private volatile TcpOptions current;

    public LiveOptions(TcpOptions initial) {
        this.current = initial;
    }

    @Override
    public TcpOptions get() {
        return current;
    }

    public void set(TcpOptions next) {
        current = next;
    }
}
