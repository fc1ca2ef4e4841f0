package org.kiscsi.protocol.pdu;

/** PDUs a target sends. Most carry StatSN, ExpCmdSN and MaxCmdSN; {@link SequenceNumbers} has them. */
public sealed interface TargetPdu extends Pdu permits NopIn, ScsiResponse, TaskMgmtResponse, LoginResponse,
        TextResponse, DataIn, LogoutResponse, R2t, AsyncMessage, Reject {
    /** Initiator Task Tag this answers, or 0xffffffff when unsolicited. */
    int itt();
}
