package org.kiscsi.api.manage;

import java.util.Objects;

/**
 * One {@code -n key -v value} pair of an update, applied in the order given. An empty value clears
 * the key (open-iscsi's {@code -v ""}).
 */
public record RecordChange(String key, String value) {
    public RecordChange {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /** The key, and the value masked when the key holds a secret: for messages and logs. */
    @Override
    public String toString() {
        return key + " = " + org.kiscsi.api.node.Secrets.mask(key, value);
    }
}
