package org.kiscsi.engine.internal;

import java.nio.ByteBuffer;

import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;
import org.kiscsi.protocol.pdu.DataOut;
import org.kiscsi.protocol.pdu.LunField;
import org.kiscsi.protocol.pdu.R2t;
import org.kiscsi.protocol.pdu.ScsiCommand;
import org.kiscsi.protocol.text.NegotiatedParameters;

/**
 * Moves a command's data over one connection: the SCSI Command PDU with its immediate data, the
 * unsolicited Data-Out up to FirstBurstLength, and the Data-Out each R2T asks for, every PDU within
 * the target's MaxRecvDataSegmentLength. Runs under the session's lock.
 */
final class DataMover {
    private final ConnectionContext connection;
    private final NegotiatedParameters params;
    /** The largest data segment sent: the target's MaxRecvDataSegmentLength, within the transport's own limit. */
    private final int maxSegment;
    /** Whether this side sends immediate and unsolicited data (not so when the transport places all data). */
    private final boolean sendsUnsolicited;

    DataMover(ConnectionContext connection) {
        this.connection = connection;
        this.params = connection.params;
        org.kiscsi.spi.transport.TransportConnection t = connection.transport();
        int transportLimit = t == null ? 0 : t.maxSendDataSegmentLength();
        this.maxSegment = transportLimit > 0 ? Math.min(transportLimit, params.maxXmitDataSegmentLength())
                : params.maxXmitDataSegmentLength();
        Connection c = connection.connection;
        this.sendsUnsolicited = !c.directDataPlacement || c.unsolicitedBySend;
    }

    /** Bytes of a write sent with the command as immediate data. */
    int immediateLength(CommandTask t) {
        if (!t.writes() || !params.immediateData() || !sendsUnsolicited) {
            return 0;
        }
        return Math.min(t.scsi.outLength(), Math.min(params.firstBurstLength(), maxSegment));
    }

    /**
     * Bytes of a write sent without an R2T, from its start: immediate data, then unsolicited Data-Out
     * up to FirstBurstLength when InitialR2T=No. A direct data placement transport places the rest.
     */
    int unsolicitedLength(CommandTask t) {
        int immediate = immediateLength(t);
        return t.writes() && !params.initialR2T() && sendsUnsolicited ? Math.min(t.scsi.outLength(), params.firstBurstLength())
                : immediate;
    }

    /** Sends the command with CmdSN {@code cmdSn}, and whatever data may go without an R2T. */
    void start(CommandTask t, int cmdSn) {
        ScsiTask s = t.scsi;
        int outLength = s.outLength();
        int immediate = immediateLength(t);
        int unsolicitedEnd = unsolicitedLength(t);
        boolean finalBit = unsolicitedEnd <= immediate;
        int edtl = t.writes() ? outLength : s.expectedInLength();
        ByteBuffer immediateData = immediate > 0 ? slice(s.dataOut(), 0, immediate) : null;
        connection.send(new ScsiCommand(finalBit, t.reads(), t.writes(), s.attribute().code(), LunField.encode(s.lun()),
                t.itt, edtl, cmdSn, connection.expStatSn, s.cdb(), t.writes() && t.reads() ? s.expectedInLength() : -1,
                immediateData));
        if (unsolicitedEnd > immediate) {
            dataOut(t, 0xFFFFFFFF, immediate, unsolicitedEnd - immediate);
        }
    }

    /** Answers an R2T with the Data-Out it asks for, after checking that it asks for data the command has. */
    void r2t(CommandTask t, R2t r, String where) {
        long end = Integer.toUnsignedLong(r.bufferOffset()) + Integer.toUnsignedLong(r.desiredDataTransferLength());
        if (!t.writes() || end > t.scsi.outLength() || r.desiredDataTransferLength() == 0) {
            throw new ProtocolException(Kind.BAD_FIELD, where + ": R2T for " + t.describe() + " asks for "
                    + Integer.toUnsignedString(r.desiredDataTransferLength()) + " bytes at offset "
                    + Integer.toUnsignedString(r.bufferOffset()) + " of " + t.scsi.outLength());
        }
        if (r.ttt() == 0xFFFFFFFF) {
            // RFC 7143 section 11.8.4: answered, the Data-Out would carry the tag of unsolicited data
            throw new ProtocolException(Kind.BAD_FIELD, where + ": R2T for " + t.describe()
                    + " carries the reserved Target Transfer Tag 0xffffffff");
        }
        if (Integer.toUnsignedLong(r.desiredDataTransferLength()) > params.maxBurstLength()) {
            throw new ProtocolException(Kind.BAD_FIELD, where + ": R2T asks for " + r.desiredDataTransferLength()
                    + " bytes, over MaxBurstLength " + params.maxBurstLength());
        }
        dataOut(t, r.ttt(), r.bufferOffset(), r.desiredDataTransferLength());
    }

    /** Data-Out PDUs for [offset, offset + length) of the task's data, each within MaxXmitDataSegmentLength. */
    private void dataOut(CommandTask t, int ttt, int offset, int length) {
        int max = maxSegment;
        long lun = LunField.encode(t.scsi.lun());
        int dataSn = 0;
        for (int done = 0; done < length; ) {
            int n = Math.min(max, length - done);
            boolean last = done + n == length;
            connection.send(new DataOut(last, lun, t.itt, ttt, connection.expStatSn, dataSn++, offset + done,
                    slice(t.scsi.dataOut(), offset + done, n)));
            done += n;
        }
    }

    static ByteBuffer slice(ByteBuffer b, int offset, int length) {
        int p = b.position() + offset;
        return b.duplicate().limit(p + length).position(p).slice();
    }
}
