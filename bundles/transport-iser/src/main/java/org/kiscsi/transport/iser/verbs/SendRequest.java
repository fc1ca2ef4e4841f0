package org.kiscsi.transport.iser.verbs;

import java.util.Objects;

/**
 * A send work request.
 *
 * @param wrId returned in its completion
 * @param opcode what to do
 * @param local the local bytes (sent, written from, or read into)
 * @param remoteAddress RDMA Read/Write: the peer's virtual address
 * @param rkey RDMA Read/Write: the peer's STag
 * @param invalidateRkey Send with Invalidate: the peer's STag to invalidate
 * @param signaled whether a successful completion is reported (failures always are)
 */
public record SendRequest(long wrId, Opcode opcode, Sge local, long remoteAddress, int rkey, int invalidateRkey,
        boolean signaled) {
    /** IBV_WR_*. */
    public enum Opcode {
        SEND, SEND_WITH_INVALIDATE, RDMA_WRITE, RDMA_READ
    }

    public SendRequest {
        Objects.requireNonNull(opcode, "opcode");
        Objects.requireNonNull(local, "local");
    }

    public static SendRequest send(long wrId, Sge local) {
        return new SendRequest(wrId, Opcode.SEND, local, 0, 0, 0, true);
    }

    public static SendRequest sendWithInvalidate(long wrId, Sge local, int invalidateRkey) {
        return new SendRequest(wrId, Opcode.SEND_WITH_INVALIDATE, local, 0, 0, invalidateRkey, true);
    }

    public static SendRequest rdmaWrite(long wrId, Sge local, long remoteAddress, int rkey) {
        return new SendRequest(wrId, Opcode.RDMA_WRITE, local, remoteAddress, rkey, 0, true);
    }

    public static SendRequest rdmaRead(long wrId, Sge local, long remoteAddress, int rkey) {
        return new SendRequest(wrId, Opcode.RDMA_READ, local, remoteAddress, rkey, 0, true);
    }
}
