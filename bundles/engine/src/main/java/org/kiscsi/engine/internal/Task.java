package org.kiscsi.engine.internal;

import java.util.concurrent.CompletableFuture;

/**
 * Something that waits for the target's answer under an ITT: a SCSI command or a control request
 * (text, task management, NOP, logout). Lives in a {@link TaskTable} slot while outstanding.
 */
abstract class Task {
    /** The tag on the wire while outstanding; 0xffffffff when not in the table. */
    int itt = -1;
    /** System.nanoTime() after which the task has timed out. */
    long deadline;

    /** Fails the task; called at most once, outside the session lock. */
    abstract void fail(Throwable cause);

    /** A short description for messages ("READ(10) to LUN 1", "Text request"). */
    abstract String describe();

    /** A control request completed by one response PDU. */
    static final class Control<T> extends Task {
        final CompletableFuture<T> future = new CompletableFuture<>();
        private final String what;

        Control(String what) {
            this.what = what;
        }

        @Override
        void fail(Throwable cause) {
            future.completeExceptionally(cause);
        }

        @Override
        String describe() {
            return what;
        }
    }
}
