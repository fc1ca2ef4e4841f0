package org.kiscsi.transport.iser;

/**
 * What the iSER transport offers at login and how much it posts, queues and registers.
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
 * @param taggedBufferForSolicitedDataOnly declared TaggedBufferForSolicitedDataOnly: Yes, the
 *        Write STag and Base Offset of a write cover only its solicited data (the bytes after the
 *        immediate and unsolicited data, as Linux and libiscsi lay it out); No, they cover the whole
 *        buffer from its start
 * @param poolChunkSize bytes of one chunk of the connection's registered memory pool, a power of
 *        two (64 KiB..64 MiB); also the largest task buffer served from the pool, larger ones are
 *        registered for their task alone
 * @param poolChunks chunks the pool registers at most (1..1024): with all in use a task is refused
 */
public record IserOptions(int initiatorRecvDataSegmentLength, int targetRecvDataSegmentLength,
        int maxOutstandingUnexpectedPdus, int maxAhsLength, boolean helloRequired, int sendQueueDepth,
        boolean taggedBufferForSolicitedDataOnly, int poolChunkSize, int poolChunks) {
    /** libiscsi's chunk size. */
    public static final int DEFAULT_POOL_CHUNK_SIZE = 4 << 20;
    public static final int DEFAULT_POOL_CHUNKS = 8;

    /**
     * RFC 7145's defaults for the lengths, libiscsi's 8192; 32 outstanding PDUs; no Hello; tagged
     * buffers for solicited data only; a pool of 8 chunks of 4 MiB.
     */
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
        range("poolChunkSize", poolChunkSize, 64 << 10, 64 << 20);
        if (Integer.bitCount(poolChunkSize) != 1) {
            throw new IllegalArgumentException("poolChunkSize " + poolChunkSize + " is not a power of two");
        }
        range("poolChunks", poolChunks, 1, 1024);
    }

    /** Options with the pool's defaults and TaggedBufferForSolicitedDataOnly=Yes. */
    public IserOptions(int initiatorRecvDataSegmentLength, int targetRecvDataSegmentLength, int maxOutstandingUnexpectedPdus,
            int maxAhsLength, boolean helloRequired, int sendQueueDepth) {
        this(initiatorRecvDataSegmentLength, targetRecvDataSegmentLength, maxOutstandingUnexpectedPdus, maxAhsLength, helloRequired,
                sendQueueDepth, true, DEFAULT_POOL_CHUNK_SIZE, DEFAULT_POOL_CHUNKS);
    }

    private static void range(String what, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + v + " outside " + min + ".." + max);
        }
    }

    public IserOptions withHelloRequired(boolean required) {
        return new IserOptions(initiatorRecvDataSegmentLength, targetRecvDataSegmentLength, maxOutstandingUnexpectedPdus,
                maxAhsLength, required, sendQueueDepth, taggedBufferForSolicitedDataOnly, poolChunkSize, poolChunks);
    }

    public IserOptions withMaxOutstandingUnexpectedPdus(int n) {
        return new IserOptions(initiatorRecvDataSegmentLength, targetRecvDataSegmentLength, n, maxAhsLength, helloRequired,
                sendQueueDepth, taggedBufferForSolicitedDataOnly, poolChunkSize, poolChunks);
    }

    public IserOptions withTaggedBufferForSolicitedDataOnly(boolean yes) {
        return new IserOptions(initiatorRecvDataSegmentLength, targetRecvDataSegmentLength, maxOutstandingUnexpectedPdus,
                maxAhsLength, helloRequired, sendQueueDepth, yes, poolChunkSize, poolChunks);
    }

    public IserOptions withPool(int chunkSize, int chunks) {
        return new IserOptions(initiatorRecvDataSegmentLength, targetRecvDataSegmentLength, maxOutstandingUnexpectedPdus,
                maxAhsLength, helloRequired, sendQueueDepth, taggedBufferForSolicitedDataOnly, chunkSize, chunks);
    }
}
