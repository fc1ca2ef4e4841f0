package org.kiscsi.testkit.loopback;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.kiscsi.api.Portal;

/**
 * One in-memory connection as the accepting side sees it: a byte stream in each direction, like an
 * accepted socket. Each direction is a bounded buffer, so a side that stops reading eventually
 * stalls the other's writes. Closing either side ends both directions: bytes already written are
 * still delivered, then the reader sees the end of the stream.
 */
public final class LoopbackLink implements Closeable {
    /** Bytes each direction buffers before a writer waits. */
    static final int PIPE_CAPACITY = 256 * 1024;

    private final BytePipe toAcceptor;
    private final BytePipe toInitiator;
    private final Portal portal;
    private final String initiatorAddress;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final List<Runnable> closeActions = new ArrayList<>();

    LoopbackLink(Portal portal, String initiatorAddress) {
        this.portal = portal;
        this.initiatorAddress = initiatorAddress;
        this.toAcceptor = new BytePipe(PIPE_CAPACITY, "loopback link " + initiatorAddress + " -> " + portal.hostPort());
        this.toInitiator = new BytePipe(PIPE_CAPACITY, "loopback link " + portal.hostPort() + " -> " + initiatorAddress);
    }

    /** What the initiator sends. */
    public InputStream in() {
        return toAcceptor.source();
    }

    /** Bytes to the initiator. */
    public OutputStream out() {
        return toInitiator.sink();
    }

    /** The portal the initiator connected to. */
    public Portal portal() {
        return portal;
    }

    /** The initiator's end, for display ({@code in-jvm:40001}). */
    public String initiatorAddress() {
        return initiatorAddress;
    }

    /** Whether neither side has closed the link and the network was not cut. */
    public boolean isOpen() {
        return open.get();
    }

    /** Ends both directions in order: what was written is still read, then the end of the stream. */
    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            toAcceptor.close();
            toInitiator.close();
            List<Runnable> actions;
            synchronized (closeActions) {
                actions = List.copyOf(closeActions);
                closeActions.clear();
            }
            actions.forEach(Runnable::run);
        }
    }

    /** Breaks both directions at once: buffered bytes are lost and both sides' next call throws {@code cause}. */
    void cut(IOException cause) {
        // the initiator's direction first: the acceptor, failing, closes the link, which must not
        // turn into an orderly end on the initiator's side
        toInitiator.fail(cause);
        toAcceptor.fail(cause);
        close();
    }

    InputStream initiatorIn() {
        return toInitiator.source();
    }

    OutputStream initiatorOut() {
        return toAcceptor.sink();
    }

    /** Runs {@code action} once the link closes (at once when it already has). */
    void onClose(Runnable action) {
        synchronized (closeActions) {
            if (open.get()) {
                closeActions.add(action);
                return;
            }
        }
        action.run();
    }
}
