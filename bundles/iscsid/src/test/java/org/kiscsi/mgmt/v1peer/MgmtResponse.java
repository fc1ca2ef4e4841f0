// Management protocol version 1 as released (commit 291a091), kept unchanged to test compatibility with it.
package org.kiscsi.mgmt.v1peer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The daemon's answer.
 *
 * @param version protocol version the daemon speaks
 * @param status 0 on success, else an iscsiadm exit code (see {@code org.kiscsi.api.IscsiError})
 * @param message a human-readable line; on failure it says what failed and where
 * @param rows result rows (one per session, one status row, ...), each an ordered set of pairs
 */
public record MgmtResponse(int version, int status, String message, List<Map<String, String>> rows) {
    /** iscsiadm's INVALID_MGMT_REQ exit code. */
    public static final int INVALID_REQUEST = 16;

    public MgmtResponse {
        Objects.requireNonNull(message, "message");
        rows = rows.stream().map(r -> Collections.unmodifiableMap(new LinkedHashMap<>(r))).toList();
    }

    public static MgmtResponse ok(String message, List<Map<String, String>> rows) {
        return new MgmtResponse(MgmtProtocol.VERSION, 0, message, rows);
    }

    public static MgmtResponse error(int status, String message) {
        if (status == 0) {
            throw new IllegalArgumentException("an error needs a non-zero status");
        }
        return new MgmtResponse(MgmtProtocol.VERSION, status, message, List.of());
    }

    public boolean isOk() {
        return status == 0;
    }
}
