package org.kiscsi.transport.iser.verbs;

import java.util.List;

/** A completion queue. */
public interface CompletionQueue extends AutoCloseable {
    /** Moves up to {@code max} completions into {@code into}; returns how many. */
    int poll(List<WorkCompletion> into, int max);

    /**
     * Arms the notification for the next completion added. Completions already queued do not
     * notify: poll again after arming.
     */
    void requestNotify();

    @Override
    void close();
}
