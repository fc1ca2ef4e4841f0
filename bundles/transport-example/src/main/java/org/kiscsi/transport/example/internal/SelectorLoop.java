package org.kiscsi.transport.example.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's one I/O thread: a selector over every channel, plus a queue of tasks other threads
 * hand it. Everything that touches a channel or a listener runs here, so a connection's state needs
 * no locks and its listener is called one call at a time. Nothing here ever blocks but
 * {@code select()} itself.
 */
final class SelectorLoop {
    /** What a registered channel does when the selector finds it ready, or when the loop ends. */
    interface Handler {
        void ready(SelectionKey key);

        /** The loop is ending: let go of the channel; called on the loop's thread. */
        void loopEnded();

        /** {@link #ready} threw: close, naming why. */
        void failed(RuntimeException e);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SelectorLoop.class);
    private static final long JOIN_MS = 5_000;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean stopped; // guarded by tasks
    private volatile boolean stopping;

    SelectorLoop(String threadName) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for " + threadName, e);
        }
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs {@code task} on the loop's thread, soon. False once the loop has ended: the caller must
     * then do without it (a close runs inline, a connect fails).
     */
    boolean execute(Runnable task) {
        synchronized (tasks) {
            if (stopped) {
                return false;
            }
            tasks.add(task);
        }
        if (Thread.currentThread() != thread) {
            selector.wakeup();
        }
        return true;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Registers a channel; on the loop's thread only. */
    SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws ClosedChannelException {
        return channel.register(selector, ops, handler);
    }

    private void run() {
        try {
            while (!stopping) {
                runTasks();
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    Handler h = (Handler) key.attachment();
                    try {
                        if (key.isValid()) {
                            h.ready(key);
                        }
                    } catch (RuntimeException e) {
                        h.failed(e);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("nio transport: selector loop {} failed; closing its connections", thread.getName(), e);
        } finally {
            end();
        }
    }

    private void runTasks() {
        while (true) {
            Runnable r;
            synchronized (tasks) {
                r = tasks.poll();
            }
            if (r == null) {
                return;
            }
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("nio transport: a task on {} threw", thread.getName(), e);
            }
        }
    }

    /** Tasks queued before the stop still run (a close, a connect that then fails), then every channel goes. */
    private void end() {
        synchronized (tasks) {
            stopped = true;
        }
        runTasks();
        List<SelectionKey> keys = new ArrayList<>(selector.keys());
        for (SelectionKey k : keys) {
            try {
                ((Handler) k.attachment()).loopEnded();
            } catch (RuntimeException e) {
                LOG.warn("nio transport: closing a channel at the end of {} threw", thread.getName(), e);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("nio transport: closing the selector of {}", thread.getName(), e);
        }
    }

    /** Ends the loop: every channel is closed; waits (bounded) for that unless called on the loop itself. */
    void close() {
        stopping = true;
        selector.wakeup();
        if (!inLoop()) {
            try {
                thread.join(JOIN_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("nio transport: {} did not end within {} ms", thread.getName(), JOIN_MS);
            }
        }
    }
}
