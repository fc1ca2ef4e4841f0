package org.kiscsi.transport.iser;

/**
 * What the iSER transport offers at login and how much it posts and queues.
 *
 * @param initiatorRecvDataSegmentLength offered InitiatorRecvDataSegmentLength: the largest data
 *        segment of a PDU the target sends; each posted receive buffer has room for one
 *        (512..16777215)
 * @param targetRecvDataSegmentLength offered TargetRecvDataSegmentLength: the largest data segment
 *        this side sends in one RDMA Send (512..16777215)
 * @param maxOutstandingUnexpectedPdus offered MaxOutstandingUnexpectedPDUs: commands and requests
 *        this side has outstanding at most, which bounds the replies it posts receive buffers for
 *        (2..65535)
 * @param maxAhsLength declared MaxAHSLength: the longest AHS this side sends (0..1020, a multiple
 *        of 4); a PDU with a longer one is refused
 * @param helloRequired declared iSERHelloRequired: send an iSER Hello when entering full feature
 *        phase and wait for the HelloReply
 * @param sendQueueDepth RDMA Sends in flight at most; more are queued in order
 */
public record IserOptions(int initiatorRecvDataSegmentLength, int targetRecvDataSegmentLength,
        int maxOutstandingUnexpectedPdus, int maxAhsLength, boolean helloRequired, int sendQueueDepth) {
    /** RFC 7145's defaults for the lengths, libiscsi's 8192; 32 outstanding PDUs; no Hello. */
    public static final IserOptions DEFAULTS = new IserOptions(8192, 8192, 32, 256, false, 64);

    public IserOptions {
        range("InitiatorRecvDataSegmentLength", initiatorRecvDataSegmentLength, 512, 16_777_215);
        range("TargetRecvDataSegmentLength", targetRecvDataSegmentLength, 512, 16_777_215);
        range("MaxOutstandingUnexpectedPDUs", maxOutstandingUnexpectedPdus, 2, 65_535);
        range("MaxAHSLength", maxAhsLength, 0, 1020);
        if (maxAhsLength % 4 != 0) {
            throw new IllegalArgumentException("MaxAHSLength " + maxAhsLength + " is not a multiple of 4");
        }
        range("sendQueueDepth", sendQueueDepth, 1, 65_535);
    }

    private static void range(String what, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + v + " outside " + min + ".." + max);
        }
    }

    public IserOptions withHelloRequired(boolean required) {
        return new IserOptions(initiatorRecvDataSegmentLength, targetRecvDataSegmentLength, maxOutstandingUnexpectedPdus,
                maxAhsLength, required, sendQueueDepth);
    }

    public IserOptions withMaxOutstandingUnexpectedPdus(int n) {
        return new IserOptions(initiatorRecvDataSegmentLength, targetRecvDataSegmentLength, n, maxAhsLength, helloRequired,
                sendQueueDepth);
    }
}
