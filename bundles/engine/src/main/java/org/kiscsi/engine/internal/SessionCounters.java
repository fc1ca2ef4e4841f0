package org.kiscsi.engine.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.kiscsi.api.session.SessionStatistics;
import org.kiscsi.protocol.Opcode;

/**
 * A session's PDU and byte counters since login, over all its connections (a connection that
 * replaces another adds to the same counts). Plain fields guarded by the session's lock, which every
 * path that sends or handles a PDU already holds: no allocation and no atomic per PDU.
 */
final class SessionCounters {
    private final long[] sent = new long[64];
    private final long[] received = new long[64];
    private long txDataOctets;
    private long rxDataOctets;
    private long digestErrors;
    private long timeoutErrors;
    private long abortTasks;

    /** A PDU posted: {@code dataLength} counts as data for SCSI Command (immediate data) and Data-Out. */
    void sent(Opcode op, int dataLength) {
        sent[op.code()]++;
        if (op == Opcode.DATA_OUT || op == Opcode.SCSI_COMMAND) {
            txDataOctets += dataLength;
        }
    }

    /** A PDU handled: {@code dataLength} counts as data for Data-In. */
    void received(Opcode op, int dataLength) {
        received[op.code()]++;
        if (op == Opcode.DATA_IN) {
            rxDataOctets += dataLength;
        }
    }

    /** The login PDUs of a connection, exchanged before the session took it over. */
    void login(int requests, int responses) {
        sent[Opcode.LOGIN_REQUEST.code()] += requests;
        received[Opcode.LOGIN_RESPONSE.code()] += responses;
    }

    void digestError() {
        digestErrors++;
    }

    /** A command, a task management request, a logout or a NOP-Out ping not answered in time. */
    void timeout() {
        timeoutErrors++;
    }

    void abortTask() {
        abortTasks++;
    }

    SessionStatistics snapshot() {
        Map<String, Long> extended = new LinkedHashMap<>();
        extended.put("eh_abort_cnt", abortTasks);
        return new SessionStatistics(txDataOctets, rxDataOctets,
                s(Opcode.NOP_OUT), s(Opcode.SCSI_COMMAND), s(Opcode.TASK_MGMT_REQUEST), s(Opcode.LOGIN_REQUEST),
                s(Opcode.TEXT_REQUEST), s(Opcode.DATA_OUT), s(Opcode.LOGOUT_REQUEST), s(Opcode.SNACK_REQUEST),
                r(Opcode.NOP_IN), r(Opcode.SCSI_RESPONSE), r(Opcode.TASK_MGMT_RESPONSE), r(Opcode.TEXT_RESPONSE),
                r(Opcode.DATA_IN), r(Opcode.LOGOUT_RESPONSE), r(Opcode.R2T), r(Opcode.ASYNC_MESSAGE), r(Opcode.REJECT),
                digestErrors, timeoutErrors, extended);
    }

    private long s(Opcode op) {
        return sent[op.code()];
    }

    private long r(Opcode op) {
        return received[op.code()];
    }
}
