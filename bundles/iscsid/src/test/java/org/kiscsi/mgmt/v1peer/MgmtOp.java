// Management protocol version 1 as released (commit 291a091), kept unchanged to test compatibility with it.
package org.kiscsi.mgmt.v1peer;

import java.util.Optional;

/** The requests a daemon answers. New operations are added here; their wire names never change. */
public enum MgmtOp {
    /** Daemon state, identity and which providers are present. */
    STATUS("status"),
    /** Daemon and protocol versions. */
    VERSION("version"),
    /** Orderly shutdown ({@code iscsiadm -k 0}). */
    STOP("stop"),
    /** Log in to a node record: args {@code target}, {@code portal}, {@code iface}. */
    LOGIN("login"),
    /** Log out of a session ({@code sid}) or a node's sessions ({@code target}, {@code portal}). */
    LOGOUT("logout"),
    /** One row per session. */
    SESSION_LIST("session-list");

    private final String wireName;

    MgmtOp(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<MgmtOp> fromWire(String name) {
        for (MgmtOp op : values()) {
            if (op.wireName.equals(name)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
