package org.kiscsi.mgmt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of an answer: its own status and message (protocol 2; what happened to one subject of an
 * operation on several) and its ordered pairs. Keys may repeat; readers ignore keys they do not know,
 * so a later version can add keys without breaking older peers.
 *
 * @param status 0, or an iscsiadm exit code for this row's subject
 * @param message empty on success, else what failed and where
 * @param pairs the row's fields, in order
 */
public record MgmtRow(int status, String message, List<MgmtPair> pairs) {
    public MgmtRow {
        Objects.requireNonNull(message, "message");
        pairs = List.copyOf(pairs);
    }

    /** A successful row of {@code fields}, in their order. */
    public static MgmtRow of(Map<String, String> fields) {
        List<MgmtPair> p = new ArrayList<>();
        fields.forEach((k, v) -> p.add(new MgmtPair(k, v)));
        return new MgmtRow(0, "", p);
    }

    /** The first value of {@code key}. */
    public Optional<String> get(String key) {
        for (MgmtPair p : pairs) {
            if (p.key().equals(key)) {
                return Optional.of(p.value());
            }
        }
        return Optional.empty();
    }

    /** Every value of {@code key}, in order. */
    public List<String> all(String key) {
        List<String> out = new ArrayList<>();
        for (MgmtPair p : pairs) {
            if (p.key().equals(key)) {
                out.add(p.value());
            }
        }
        return out;
    }

    /** The pairs as a map, in order (a repeated key keeps its first value). */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (MgmtPair p : pairs) {
            m.putIfAbsent(p.key(), p.value());
        }
        return Collections.unmodifiableMap(m);
    }

    public boolean isOk() {
        return status == 0;
    }
}
