package org.kiscsi.testkit.peers;

import java.util.List;
import java.util.Map;

/**
 * One frame of {@code tshark -T fields}: each requested field with all its occurrences in the
 * frame (a TCP segment may carry several iSCSI PDUs; a field absent from the frame has none).
 */
public record FieldRow(Map<String, List<String>> values) {
    public List<String> all(String field) {
        return values.getOrDefault(field, List.of());
    }

    /** The first occurrence, or "" when the frame has none. */
    public String first(String field) {
        List<String> v = all(field);
        return v.isEmpty() ? "" : v.get(0);
    }
}
