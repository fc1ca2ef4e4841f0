package org.kiscsi.testkit.peers;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Last-resort cleanup: kills daemons and deletes scratch directories a test left behind when the
 * JVM exits (a failing {@code @BeforeAll}, a fork killed by its timeout). Normal stops deregister.
 */
final class ShutdownCleanup {
    /** A registered action; {@link #done()} removes it once the owner cleaned up itself. */
    interface Handle {
        void done();
    }

    private static final Deque<Entry> ENTRIES = new ArrayDeque<>();
    private static boolean hooked;

    private record Entry(String what, Runnable action) {
    }

    private ShutdownCleanup() {
    }

    static synchronized Handle register(String what, Runnable action) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(ShutdownCleanup::runAll, "kiscsi-peers-cleanup"));
            hooked = true;
        }
        Entry e = new Entry(what, action);
        ENTRIES.push(e);
        return () -> {
            synchronized (ShutdownCleanup.class) {
                ENTRIES.remove(e);
            }
        };
    }

    private static void runAll() {
        Entry e;
        while ((e = poll()) != null) {
            try {
                e.action().run();
            } catch (RuntimeException ex) {
                System.err.println("kiscsi peers: cleanup '" + e.what() + "' failed: " + ex.getMessage());
            }
        }
    }

    private static synchronized Entry poll() {
        return ENTRIES.poll();
    }
}
