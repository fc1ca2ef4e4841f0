package org.kiscsi.transport.iser.verbs;

/**
 * A work completion (ibv_wc).
 *
 * @param wrId the work request's id
 * @param status how it ended
 * @param opcode what completed
 * @param byteLength bytes received (receives) or moved
 * @param invalidatedRkey a receive's STag the peer invalidated with Send with Invalidate, else 0
 * @param qpNumber the queue pair
 */
public record WorkCompletion(long wrId, Status status, Opcode opcode, int byteLength, int invalidatedRkey, int qpNumber) {
    /** IBV_WC_* statuses the providers report. */
    public enum Status {
        SUCCESS, LOCAL_LENGTH_ERROR, LOCAL_PROTECTION_ERROR, REMOTE_ACCESS_ERROR, REMOTE_INVALID_REQUEST,
        RNR_RETRY_EXCEEDED, FLUSHED,
        /** A memory window bind failed (IBV_WC_MW_BIND_ERR): a window bound already, a range or access the region does not allow. */
        MW_BIND_ERROR,
        /** Any other failure (transport retries exceeded, a fatal or general error). */
        OTHER
    }

    /** IBV_WC_* opcodes. */
    public enum Opcode {
        SEND, RDMA_WRITE, RDMA_READ, RECV,
        /** A memory window bind (IBV_WC_BIND_MW). */
        BIND_MW,
        /** A local invalidation (IBV_WC_LOCAL_INV). */
        LOCAL_INV
    }

    public boolean ok() {
        return status == Status.SUCCESS;
    }
}
