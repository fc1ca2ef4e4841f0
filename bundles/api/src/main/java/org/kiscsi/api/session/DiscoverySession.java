package org.kiscsi.api.session;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A logged-in discovery session (SessionType=Discovery), for discovery methods that speak text
 * requests such as SendTargets. Close it when done.
 */
public interface DiscoverySession extends AutoCloseable {
    /**
     * Sends a Text request with the given {@code key=value} pairs and collects the target's answer,
     * following continuation (C bit, TTT) until it is complete.
     *
     * @return the answer's {@code key=value} pairs in the order the target sent them
     */
    CompletionStage<List<String>> text(List<String> keyValues);

    /** Logs out (politely, within the record's logout timeout) and closes the connection. */
    @Override
    void close();
}
