package org.kiscsi.engine.internal;

import org.kiscsi.protocol.SerialNumber;

/**
 * The session's command window (RFC 7143 section 4.2.2.1): the next CmdSN to give, and the target's
 * ExpCmdSN and MaxCmdSN. Non-immediate PDUs take a CmdSN and may go only while it is within the
 * window; immediate ones carry the current CmdSN without taking it. Not thread-safe: the session
 * guards it.
 */
final class CommandWindow {
    private int cmdSn;
    private int expCmdSn;
    private int maxCmdSn;

    /** Starts the window as a login response left it (a new connection starts it again). */
    void reset(int expCmdSn, int maxCmdSn) {
        this.cmdSn = expCmdSn;
        this.expCmdSn = expCmdSn;
        this.maxCmdSn = maxCmdSn;
    }

    /** Whether a non-immediate PDU may go now. */
    boolean isOpen() {
        return SerialNumber.lessOrEqual(cmdSn, maxCmdSn);
    }

    /** The CmdSN for a non-immediate PDU; the next one moves on. */
    int take() {
        return cmdSn++;
    }

    /** The CmdSN an immediate PDU carries. */
    int current() {
        return cmdSn;
    }

    /**
     * Takes ExpCmdSN and MaxCmdSN from a target PDU. Values never move backwards, and a window whose
     * MaxCmdSN is below ExpCmdSN - 1 is ignored, as the RFC says.
     */
    void update(int exp, int max) {
        if (SerialNumber.lessThan(max, exp - 1)) {
            return;
        }
        if (SerialNumber.greaterThan(exp, expCmdSn)) {
            expCmdSn = exp;
        }
        if (SerialNumber.greaterThan(max, maxCmdSn)) {
            maxCmdSn = max;
        }
    }

    int expCmdSn() {
        return expCmdSn;
    }

    int maxCmdSn() {
        return maxCmdSn;
    }
}
