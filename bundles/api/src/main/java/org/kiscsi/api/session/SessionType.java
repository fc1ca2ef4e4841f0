package org.kiscsi.api.session;

/** RFC 7143 SessionType. */
public enum SessionType {
    NORMAL("Normal"),
    DISCOVERY("Discovery");

    private final String keyValue;

    SessionType(String keyValue) {
        this.keyValue = keyValue;
    }

    /** The value of the SessionType text key. */
    public String keyValue() {
        return keyValue;
    }
}
