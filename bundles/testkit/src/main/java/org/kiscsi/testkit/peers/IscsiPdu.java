package org.kiscsi.testkit.peers;

/**
 * One iSCSI PDU in a capture: frame number, TCP stream and ports, opcode (without the I bit, as
 * Wireshark shows it), Initiator Task Tag and, for SCSI Data-In, the S (status) bit.
 */
public record IscsiPdu(int frame, int tcpStream, int srcPort, int dstPort, int opcode, long initiatorTaskTag, boolean statusBit) {
    public static final int SCSI_COMMAND = 0x01;
    public static final int LOGIN_REQUEST = 0x03;
    public static final int LOGOUT_REQUEST = 0x06;
    public static final int SCSI_RESPONSE = 0x21;
    public static final int LOGIN_RESPONSE = 0x23;
    public static final int SCSI_DATA_IN = 0x25;
    public static final int LOGOUT_RESPONSE = 0x26;

    /** Sent by the initiator (to the target's port). */
    public boolean toPort(int port) {
        return dstPort == port;
    }

    /** Ends a SCSI task: a SCSI Response, or a Data-In carrying status (S bit). */
    public boolean completesTask() {
        return opcode == SCSI_RESPONSE || (opcode == SCSI_DATA_IN && statusBit);
    }
}
