package org.kiscsi.api.session;

import org.osgi.annotation.versioning.ProviderType;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A logged-in discovery session (SessionType=Discovery), for discovery methods that speak text
 * requests such as SendTargets. Close it when done.
 */
@ProviderType
public interface DiscoverySession extends AutoCloseable {
    /**
     * Sends a Text request with the given {@code key=value} pairs and collects the target's answer,
     * following continuation (C bit, TTT) until it is complete.
     *
     * @return the answer's {@code key=value} pairs in the order the target sent them; completes
     *         exceptionally when the answer does not end with a null delimiter (it was cut off), or when
     *         the target stops answering for the record's wait between two answer PDUs
     */
    CompletionStage<List<String>> text(List<String> keyValues);

    /** Logs out (politely, within the record's logout timeout) and closes the connection; blocks meanwhile. */
    @Override
    void close();

    /**
     * Logs out and closes without blocking the caller (for callbacks on I/O threads); the stage
     * completes once the connection is closed, normally also when the logout was not answered.
     */
    default CompletionStage<Void> closeAsync() {
        return java.util.concurrent.CompletableFuture.runAsync(this::close);
    }
}
