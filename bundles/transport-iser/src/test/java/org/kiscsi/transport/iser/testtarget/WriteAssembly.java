package org.kiscsi.transport.iser.testtarget;

import java.nio.ByteBuffer;
import java.util.BitSet;

import org.kiscsi.protocol.pdu.DataOut;
import org.kiscsi.protocol.pdu.ScsiCommand;
import org.kiscsi.transport.iser.internal.IserHeader;

/**
 * One SCSI write at the test target, byte by byte: the immediate data of the command, the
 * unsolicited Data-Out PDUs behind it, then the solicited rest fetched by one RDMA Read. Every byte
 * must arrive exactly once and within the negotiated limits; anything else is an
 * {@link IllegalStateException} naming it, which the target records as an error.
 */
final class WriteAssembly {
    /** What the login settled that bounds unsolicited data. */
    record Limits(boolean immediateData, boolean initialR2T, int firstBurstLength, int maxSegment, boolean solicitedOnly) {
    }

    final ScsiCommand command;
    final IserHeader header;
    private final Limits limits;
    private final byte[] data;
    private final BitSet got;
    private int unsolicited;
    private boolean unsolicitedDone;
    private int nextDataSn;
    /** The command was taken up (not held): the rest may be fetched once the unsolicited data is in. */
    boolean commandReady;

    WriteAssembly(ScsiCommand c, IserHeader h, Limits limits) {
        this.command = c;
        this.header = h;
        this.limits = limits;
        this.data = new byte[c.expectedDataTransferLength()];
        this.got = new BitSet(data.length);
        ByteBuffer immediate = c.data();
        int n = immediate == null ? 0 : immediate.remaining();
        if (n > 0) {
            if (!limits.immediateData()) {
                throw fault(n + " bytes of immediate data with ImmediateData=No");
            }
            if (n > limits.maxSegment()) {
                throw fault("immediate data of " + n + " bytes over TargetRecvDataSegmentLength " + limits.maxSegment());
            }
            unsolicited(0, immediate, "immediate data");
        }
        if (!c.finalBit() && limits.initialR2T()) {
            throw fault("F clear (unsolicited Data-Out to follow) with InitialR2T=Yes");
        }
        unsolicitedDone = c.finalBit();
    }

    private IllegalStateException fault(String what) {
        return new IllegalStateException(String.format("write ITT 0x%08x: %s", command.itt(), what));
    }

    private void unsolicited(int offset, ByteBuffer bytes, String what) {
        unsolicited += bytes.remaining();
        if (unsolicited > limits.firstBurstLength()) {
            throw fault(what + " brings unsolicited data to " + unsolicited + " bytes, over FirstBurstLength "
                    + limits.firstBurstLength());
        }
        place(offset, bytes, what);
    }

    private void place(int offset, ByteBuffer bytes, String what) {
        int n = bytes.remaining();
        if (offset < 0 || offset + n > data.length) {
            throw fault(what + " at " + offset + "+" + n + " outside the " + data.length + " bytes of the write");
        }
        int twice = got.get(offset, offset + n).nextSetBit(0);
        if (twice >= 0) {
            throw fault(what + " sends byte " + (offset + twice) + " a second time");
        }
        bytes.duplicate().get(data, offset, n);
        got.set(offset, offset + n);
    }

    /** An unsolicited Data-Out of this write. */
    void dataOut(DataOut d) {
        if (unsolicitedDone) {
            throw fault("a Data-Out after the unsolicited data ended (under iSER solicited data is RDMA-read)");
        }
        if (d.ttt() != 0xFFFFFFFF) {
            throw fault("Data-Out with Target Transfer Tag 0x" + Integer.toHexString(d.ttt()) + ": no R2T was sent");
        }
        if (d.dataSn() != nextDataSn++) {
            throw fault("Data-Out DataSN " + d.dataSn() + ", expected " + (nextDataSn - 1));
        }
        if (d.data().remaining() > limits.maxSegment()) {
            throw fault("Data-Out of " + d.data().remaining() + " bytes over TargetRecvDataSegmentLength " + limits.maxSegment());
        }
        unsolicited(d.bufferOffset(), d.data(), "Data-Out at offset " + d.bufferOffset());
        unsolicitedDone = d.finalBit();
    }

    /** Whether the unsolicited part is complete (the F bit came), so the rest can be fetched. */
    boolean unsolicitedComplete() {
        return unsolicitedDone;
    }

    /** Bytes already here: they must be the write's first bytes, without a gap. */
    int received() {
        int n = got.cardinality();
        if (got.nextClearBit(0) != n) {
            throw fault("unsolicited data with a gap at byte " + got.nextClearBit(0));
        }
        return n;
    }

    /**
     * Where the solicited rest is in the initiator's memory: TaggedBufferForSolicitedDataOnly=Yes, at
     * the Write Base Offset; No, at the Base Offset plus the rest's Buffer Offset.
     */
    long restAddress() {
        return limits.solicitedOnly() ? header.writeVa() : header.writeVa() + received();
    }

    /** The RDMA Read of the rest brought {@code rest}. */
    void solicited(byte[] rest) {
        place(received(), ByteBuffer.wrap(rest), "the RDMA Read");
    }

    /** The whole write, once every byte came. */
    byte[] complete() {
        if (got.cardinality() != data.length) {
            throw fault("only " + got.cardinality() + " of " + data.length + " bytes arrived");
        }
        return data;
    }
}
