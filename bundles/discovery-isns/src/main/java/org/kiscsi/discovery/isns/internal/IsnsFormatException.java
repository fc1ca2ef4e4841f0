package org.kiscsi.discovery.isns.internal;

/** An iSNS PDU or attribute that does not follow RFC 4171; the message says what was wrong. */
public final class IsnsFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IsnsFormatException(String message) {
        super(message);
    }
}
