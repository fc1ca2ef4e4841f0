package org.kiscsi.export.nbd;

import java.time.Duration;

/**
 * Limits of each connection.
 *
 * @param maxInFlight requests a connection may have outstanding before the server stops reading from it
 * @param maxHeldBytes data a connection may hold (WRITE payloads not yet written to the LU, READ data not
 *        yet sent) before the server stops reading from it: a slow client is back-pressured, not buffered
 * @param stallTimeout how long replies may wait for a client that reads none of them before the
 *        connection is dropped
 * @param closeGrace how long closing the server waits for outstanding requests to be answered
 */
public record NbdServerOptions(int maxInFlight, long maxHeldBytes, Duration stallTimeout, Duration closeGrace) {
    public static final NbdServerOptions DEFAULTS = new NbdServerOptions(64, 64L << 20, Duration.ofSeconds(60),
            Duration.ofSeconds(5));

    public NbdServerOptions {
        if (maxInFlight < 1 || maxHeldBytes < 1) {
            throw new IllegalArgumentException("maxInFlight " + maxInFlight + " and maxHeldBytes " + maxHeldBytes
                    + " must be at least 1");
        }
        if (stallTimeout.isNegative() || stallTimeout.isZero() || closeGrace.isNegative()) {
            throw new IllegalArgumentException("stallTimeout " + stallTimeout + " must be positive, closeGrace "
                    + closeGrace + " not negative");
        }
    }

    public NbdServerOptions withStallTimeout(Duration d) {
        return new NbdServerOptions(maxInFlight, maxHeldBytes, d, closeGrace);
    }
}
