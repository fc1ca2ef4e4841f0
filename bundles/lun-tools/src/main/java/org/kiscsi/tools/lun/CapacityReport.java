package org.kiscsi.tools.lun;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;

import org.kiscsi.api.scsi.Await;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.CheckConditionException;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiStatusException;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.Sense;
import org.kiscsi.scsi.BlockCdbs;

/**
 * READ CAPACITY (16) as {@code kiscsi-readcap} prints it: every field of the parameter data, provisioning
 * (LBPME, LBPRZ) and protection (P_TYPE, PROT_EN, P_I_EXPONENT) included, in libiscsi
 * {@code iscsi-readcapacity16}'s lines.
 *
 * @param lastLba RETURNED LOGICAL BLOCK ADDRESS
 * @param blockLength LOGICAL BLOCK LENGTH IN BYTES
 * @param pType P_TYPE
 * @param protEn PROT_EN
 * @param piExponent P_I_EXPONENT
 * @param lbppbe LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT
 * @param lbpme LBPME
 * @param lbprz LBPRZ
 * @param lowestAlignedLba LOWEST ALIGNED LOGICAL BLOCK ADDRESS
 */
public record CapacityReport(long lastLba, long blockLength, int pType, int protEn, int piExponent, int lbppbe, int lbpme,
        int lbprz, int lowestAlignedLba) {

    /** Sends READ CAPACITY (16) to {@code device}; blocks at most {@code timeout}. */
    public static CapacityReport read(BlockDevice device, String where, Duration timeout) {
        ByteBuffer in = ByteBuffer.allocate(BlockCdbs.READ_CAPACITY_16_LENGTH);
        byte[] cdb = BlockCdbs.readCapacity16(BlockCdbs.READ_CAPACITY_16_LENGTH);
        ScsiResult r = Await.result(device.execute(ScsiTask.read(device.lun(), cdb, in)), timeout, where + ": READ CAPACITY(16)");
        if (!r.isGood()) {
            Optional<Sense> s = r.status() == ScsiResult.CHECK_CONDITION ? Sense.decode(r.sense()) : Optional.empty();
            throw s.isPresent() ? new CheckConditionException(where + ": READ CAPACITY(16)", s.get(), cdb[0] & 0xFF, device.lun())
                    : new ScsiStatusException(where + ": READ CAPACITY(16)", r.status(), cdb[0] & 0xFF, device.lun());
        }
        if (r.bytesIn() < 16) {
            throw new ScsiStatusException(where + ": READ CAPACITY(16) returned " + r.bytesIn() + " bytes, fewer than 16",
                    r.status(), cdb[0] & 0xFF, device.lun());
        }
        return parse(in.array());
    }

    /** The parameter data (at least 16 bytes, SBC-3 table 65). */
    public static CapacityReport parse(byte[] d) {
        ByteBuffer b = ByteBuffer.wrap(d);
        return new CapacityReport(b.getLong(0), b.getInt(8) & 0xFFFF_FFFFL, d[12] >> 1 & 0x7, d[12] & 0x1, d[13] >> 4 & 0xF,
                d[13] & 0xF, d[14] >> 7 & 0x1, d[14] >> 6 & 0x1, (d[14] & 0x3F) << 8 | d[15] & 0xFF);
    }

    public long totalBytes() {
        return blockLength * (lastLba + 1);
    }

    public void print(PrintStream out) {
        out.println("RETURNED LOGICAL BLOCK ADDRESS:" + Long.toUnsignedString(lastLba));
        out.println("LOGICAL BLOCK LENGTH IN BYTES:" + blockLength);
        out.println("P_TYPE:" + pType + " PROT_EN:" + protEn);
        out.println("P_I_EXPONENT:" + piExponent + " LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT:" + lbppbe);
        out.println("LBPME:" + lbpme + " LBPRZ:" + lbprz);
        out.println("LOWEST ALIGNED LOGICAL BLOCK ADDRESS:" + lowestAlignedLba);
        out.println("Total size:" + totalBytes());
    }
}
