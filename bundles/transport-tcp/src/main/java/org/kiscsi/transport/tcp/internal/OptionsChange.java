package org.kiscsi.transport.tcp.internal;

import java.util.ArrayList;
import java.util.List;

import org.kiscsi.transport.tcp.TcpOptions;

/**
 * Which configuration keys differ between two sets of options, split by when they take effect:
 * at once on open connections, or on connections made afterwards. Named as in
 * {@code etc/org.kiscsi.transport.tcp.cfg}.
 *
 * @param live keys that apply to open connections at once
 * @param newConnections keys that apply to connections made after the change
 */
public record OptionsChange(List<String> live, List<String> newConnections) {
    public OptionsChange {
        live = List.copyOf(live);
        newConnections = List.copyOf(newConnections);
    }

    public static OptionsChange between(TcpOptions before, TcpOptions after) {
        List<String> live = new ArrayList<>();
        List<String> later = new ArrayList<>();
        if (before.busyPollNanos() != after.busyPollNanos()) {
            live.add("busyPollMicros");
        }
        if (before.readCoalesceNanos() != after.readCoalesceNanos()) {
            live.add("readCoalesceMicros");
        }
        if (before.readCoalesceMinReplies() != after.readCoalesceMinReplies()) {
            live.add("readCoalesceMinReplies");
        }
        if (before.moderation() != after.moderation()) {
            live.add("moderation");
        }
        if (before.checkAhsEntries() != after.checkAhsEntries()) {
            live.add("checkAhsEntries");
        }
        if (before.maxQueuedSendBytes() != after.maxQueuedSendBytes()) {
            live.add("maxQueuedSendBytes");
        }
        if (before.ioThreads() != after.ioThreads()) {
            later.add("ioThreads");
        }
        if (before.receiveBufferSize() != after.receiveBufferSize()) {
            later.add("receiveBufferSize");
        }
        return new OptionsChange(live, later);
    }

    public boolean isEmpty() {
        return live.isEmpty() && newConnections.isEmpty();
    }

    @Override
    public String toString() {
        return "applied to open connections: " + (live.isEmpty() ? "none" : String.join(", ", live))
                + "; applying to new connections: " + (newConnections.isEmpty() ? "none" : String.join(", ", newConnections));
    }
}
