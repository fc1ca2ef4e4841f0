package org.kiscsi.testkit.peers;

import java.util.Map;

/**
 * Standard INQUIRY data as iscsi-inq prints it; values trimmed. {@code fields} holds every
 * {@code Key:Value} line (the last one for repeated keys such as Version Descriptor).
 */
public record Inquiry(String peripheralQualifier, String deviceType, String vendor, String product, String revision,
        String version, boolean commandQueueing, Map<String, String> fields) {
}
