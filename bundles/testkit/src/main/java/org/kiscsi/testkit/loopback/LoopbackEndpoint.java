package org.kiscsi.testkit.loopback;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.kiscsi.api.Portal;

/**
 * A portal of a {@link LoopbackTransport} where an in-JVM acceptor takes connections, as a listening
 * socket does. Closing it refuses new connections; open ones stay.
 */
public final class LoopbackEndpoint implements AutoCloseable {
    private final Portal portal;
    private final Consumer<LoopbackLink> acceptor;
    private final Runnable unregister;
    private final AtomicInteger accepted = new AtomicInteger();

    LoopbackEndpoint(Portal portal, Consumer<LoopbackLink> acceptor, Runnable unregister) {
        this.portal = portal;
        this.acceptor = acceptor;
        this.unregister = unregister;
    }

    /** Where initiators connect through the transport. */
    public Portal portal() {
        return portal;
    }

    /** Connections accepted so far. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    void accept(LoopbackLink link) {
        accepted.incrementAndGet();
        acceptor.accept(link);
    }

    @Override
    public void close() {
        unregister.run();
    }
}
