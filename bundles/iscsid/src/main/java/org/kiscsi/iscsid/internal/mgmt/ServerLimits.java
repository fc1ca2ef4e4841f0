package org.kiscsi.iscsid.internal.mgmt;

import java.time.Duration;

/**
 * What keeps a silent, slow or hostile client from blocking the management socket for others.
 *
 * @param requestDeadline a request must arrive whole within this from the connect (and an answer
 *        be taken by the client within this once written)
 * @param answerDeadline how long a handler may take unless it announces more (a login announces its
 *        worst case)
 * @param maxConnections connections open at once; beyond, the one that has waited longest without
 *        sending a whole request is closed to make room
 * @param maxRequestBytes a request frame's payload, checked from the header before anything is allocated
 */
public record ServerLimits(Duration requestDeadline, Duration answerDeadline, int maxConnections, int maxRequestBytes) {
    public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_CONNECTIONS = 256;

    public ServerLimits {
        if (requestDeadline.isNegative() || requestDeadline.isZero() || answerDeadline.isNegative() || answerDeadline.isZero()) {
            throw new IllegalArgumentException("management socket deadlines must be positive");
        }
        if (maxConnections < 1 || maxRequestBytes < 64) {
            throw new IllegalArgumentException("management socket limits too small: " + maxConnections + " connections, "
                    + maxRequestBytes + " bytes");
        }
    }

    /** The defaults, with {@code answerDeadline} (the daemon's {@code request.timeout}). */
    public static ServerLimits defaults(Duration answerDeadline) {
        return new ServerLimits(DEFAULT_REQUEST_DEADLINE, answerDeadline, DEFAULT_MAX_CONNECTIONS,
                org.kiscsi.mgmt.MgmtProtocol.MAX_REQUEST_PAYLOAD);
    }
}
