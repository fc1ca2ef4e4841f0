package org.kiscsi.mgmt;

/**
 * Client and daemon have no protocol version in common, or the operation asked for appeared in a
 * version the daemon does not speak. The message names both ranges (or the version needed).
 */
public class ProtocolRangeException extends MgmtProtocolException {
    private static final long serialVersionUID = 1L;

    private final int daemonMin;
    private final int daemonMax;

    public ProtocolRangeException(String message, int daemonMin, int daemonMax) {
        super(message);
        this.daemonMin = daemonMin;
        this.daemonMax = daemonMax;
    }

    public int daemonMin() {
        return daemonMin;
    }

    public int daemonMax() {
        return daemonMax;
    }
}
