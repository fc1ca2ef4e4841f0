package org.kiscsi.protocol.pdu;

/** PDUs an initiator sends. */
public sealed interface InitiatorPdu extends Pdu permits NopOut, ScsiCommand, TaskMgmtRequest, LoginRequest,
        TextRequest, DataOut, LogoutRequest, SnackRequest {
    /** Initiator Task Tag. */
    int itt();
}
