package org.kiscsi.mgmt;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The daemon's answer: a status and message for the operation as a whole, and rows, each with its
 * own status and message (protocol 2; protocol 1 carries a row's pairs only).
 */
public final class MgmtResponse {
    /** iscsiadm's INVALID_MGMT_REQ exit code. */
    public static final int INVALID_REQUEST = 16;

    private final int version;
    private final int status;
    private final String message;
    private final List<MgmtRow> table;

    /**
     * An answer whose rows are successful rows of {@code rows}' pairs.
     *
     * @param version protocol version of the frame (that of the request, or for a version refusal
     *        the daemon's highest)
     * @param status 0 on success, else an iscsiadm exit code ({@code org.kiscsi.api.IscsiError}): the
     *        operation as a whole failed
     * @param message a human-readable line; on failure it says what failed and where
     */
    public MgmtResponse(int version, int status, String message, List<? extends Map<String, String>> rows) {
        this(version, status, message, rows.stream().map(MgmtRow::of).toList(), true);
    }

    private MgmtResponse(int version, int status, String message, List<MgmtRow> table, boolean unused) {
        this.version = version;
        this.status = status;
        this.message = Objects.requireNonNull(message, "message");
        this.table = List.copyOf(table);
    }

    /** An answer with rows that carry their own status. */
    public static MgmtResponse of(int version, int status, String message, List<MgmtRow> table) {
        return new MgmtResponse(version, status, message, table, true);
    }

    public static MgmtResponse ok(String message, List<? extends Map<String, String>> rows) {
        return new MgmtResponse(MgmtProtocol.VERSION, 0, message, rows);
    }

    public static MgmtResponse error(int status, String message) {
        if (status == 0) {
            throw new IllegalArgumentException("an error needs a non-zero status");
        }
        return of(MgmtProtocol.VERSION, status, message, List.of());
    }

    public int version() {
        return version;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }

    /** The rows with their own status and message. */
    public List<MgmtRow> table() {
        return table;
    }

    /** The rows' pairs as maps, in order (what protocol 1 carries). */
    public List<Map<String, String>> rows() {
        return table.stream().map(MgmtRow::asMap).toList();
    }

    /** The same answer in another version (a daemon answers in the version it was asked in). */
    public MgmtResponse inVersion(int v) {
        return v == version ? this : of(v, status, message, table);
    }

    public boolean isOk() {
        return status == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MgmtResponse r && r.version == version && r.status == status && r.message.equals(message)
                && r.table.equals(table);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, status, message, table);
    }

    @Override
    public String toString() {
        return "MgmtResponse[v" + version + " " + status + " " + message + ", " + table.size() + " row(s)]";
    }
}
