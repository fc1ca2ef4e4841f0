package org.kiscsi.protocol.text;

import java.util.Objects;

/** One {@code key=value} pair of login or text negotiation. */
public record KeyValue(String key, String value) {
    /** RFC 7143 reserved answers. */
    public static final String IRRELEVANT = "Irrelevant";
    public static final String NOT_UNDERSTOOD = "NotUnderstood";
    public static final String REJECT = "Reject";

    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
