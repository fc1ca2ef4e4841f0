package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutstandingCommandsTest {
    private final List<IscsiPdu> pdus = new ArrayList<>();

    private void pdu(int stream, int opcode, long itt, boolean s) {
        pdus.add(new IscsiPdu(pdus.size() + 1, stream, 0, 0, opcode, itt, s));
    }

    @Test
    void countsCommandsUntilResponseOrDataInWithStatus() {
        pdu(0, IscsiPdu.SCSI_COMMAND, 1, false);
        pdu(0, IscsiPdu.SCSI_COMMAND, 2, false);
        pdu(0, IscsiPdu.SCSI_DATA_IN, 1, false); // data without status: task 1 still open
        pdu(0, IscsiPdu.SCSI_COMMAND, 3, false); // 3 open
        pdu(0, IscsiPdu.SCSI_DATA_IN, 1, true);
        pdu(0, IscsiPdu.SCSI_RESPONSE, 2, false);
        pdu(0, IscsiPdu.SCSI_COMMAND, 4, false); // 2 open
        pdu(0, IscsiPdu.SCSI_RESPONSE, 3, false);
        pdu(0, IscsiPdu.SCSI_RESPONSE, 4, false);
        assertEquals(3, OutstandingCommands.max(pdus));
    }

    @Test
    void sameTagOnAnotherConnectionIsAnotherTask() {
        pdu(0, IscsiPdu.SCSI_COMMAND, 7, false);
        pdu(1, IscsiPdu.SCSI_COMMAND, 7, false);
        pdu(1, IscsiPdu.SCSI_RESPONSE, 7, false);
        pdu(0, IscsiPdu.SCSI_RESPONSE, 7, false);
        assertEquals(2, OutstandingCommands.max(pdus));
    }

    @Test
    void logoutClosesTheConnectionsTasks() {
        pdu(0, IscsiPdu.SCSI_COMMAND, 1, false);
        pdu(0, IscsiPdu.LOGOUT_RESPONSE, 9, false);
        pdu(0, IscsiPdu.SCSI_COMMAND, 2, false);
        assertEquals(1, OutstandingCommands.max(pdus));
    }
}
