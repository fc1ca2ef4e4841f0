package org.kiscsi.protocol.pdu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.scsi.Lun;

/** PDUs carry every LUN the SCSI layer can address, in the same encoding as REPORT LUNS. */
class LunFieldTest {
    @Test
    void lunsPastFlatSpaceTravelInTheHeaderAndComeBack() {
        byte[] cdb = {0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        for (long lun : new long[] {0, 5, 300, 16383, 16384, 0x123456, 0x1000000, Lun.MAX_NUMBER, 0xc101000000000000L}) {
            ScsiCommand c = new ScsiCommand(true, false, false, 1, LunField.encode(lun), 1, 0, 1, 1, cdb, -1, ByteBuffer.allocate(0));
            ByteBuffer header = PduCodec.encodeHeader(c);
            byte[] wire = new byte[8];
            header.get(8, wire);
            byte[] reportLuns = new byte[8];
            Lun.write(lun, reportLuns, 0);
            assertEquals(ByteBuffer.wrap(reportLuns).getLong(), ByteBuffer.wrap(wire).getLong(), "LUN field bytes 8-15 for " + lun);
            ScsiCommand back = (ScsiCommand) PduCodec.decodeInitiatorPdu(header, c.data());
            assertEquals(lun, LunField.decode(back.lun()));
        }
    }

    @Test
    void extendedFlatSpaceIsD2AndThreeBytes() {
        assertEquals(0xD212345600000000L, LunField.encode(0x123456));
        assertEquals(0x4123000000000000L, LunField.encode(0x123));
        assertEquals(0x0005000000000000L, LunField.encode(5));
    }
}
