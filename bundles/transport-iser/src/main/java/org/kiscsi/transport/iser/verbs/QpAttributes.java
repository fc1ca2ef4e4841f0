package org.kiscsi.transport.iser.verbs;

/**
 * A reliable-connected queue pair's sizes and the CM's connection parameters.
 *
 * @param maxSendWr send work requests outstanding at most
 * @param maxRecvWr receive work requests posted at most
 * @param responderResources RDMA Reads the peer may have outstanding against this side
 * @param initiatorDepth RDMA Reads this side may have outstanding
 * @param retryCount transport retries (0..7)
 * @param rnrRetryCount receiver-not-ready retries (0..7; 7 retries for ever)
 */
public record QpAttributes(int maxSendWr, int maxRecvWr, int responderResources, int initiatorDepth, int retryCount,
        int rnrRetryCount) {
    public QpAttributes {
        if (maxSendWr < 1 || maxRecvWr < 1) {
            throw new IllegalArgumentException("queue depths must be positive: send " + maxSendWr + ", receive " + maxRecvWr);
        }
        if (retryCount < 0 || retryCount > 7 || rnrRetryCount < 0 || rnrRetryCount > 7) {
            throw new IllegalArgumentException("retry counts are 0..7: " + retryCount + ", RNR " + rnrRetryCount);
        }
    }
}
