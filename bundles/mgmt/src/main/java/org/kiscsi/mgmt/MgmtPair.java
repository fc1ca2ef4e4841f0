package org.kiscsi.mgmt;

import java.util.Objects;

import org.kiscsi.api.node.Secrets;

/** One {@code key = value} pair of a request's arguments or of an answer's row. */
public record MgmtPair(String key, String value) {
    public MgmtPair {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /** The pair with a secret's value masked ({@link Secrets}): for logs and messages. */
    @Override
    public String toString() {
        return key + "=" + Secrets.mask(key, value);
    }
}
