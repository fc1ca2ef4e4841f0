package org.kiscsi.api.discovery;

import java.util.Objects;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.node.NodeKey;

/**
 * What applying a discovery did to one node record.
 *
 * @param key the record
 * @param kind what happened
 * @param error {@link IscsiError#OK}, or why it could not be done ({@code SESS_EXISTS} for a record a
 *        session uses, {@code IDBM} when the store refused)
 * @param message empty, or a sentence naming the record and the reason
 */
public record NodeChange(NodeKey key, Kind kind, IscsiError error, String message) {
    /** What happened to a record. */
    public enum Kind {
        /** A new record was written. */
        ADDED,
        /** An existing record's discovery keys were rewritten (update). */
        UPDATED,
        /** Found, and left as it was (new without update, or nonpersistent). */
        KEPT,
        /** Not returned by its discovery source and deleted. */
        DELETED,
        /** Should have been written or deleted, and was not: see error and message. */
        FAILED
    }

    public NodeChange {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(error, "error");
        message = message == null ? "" : message;
    }

    static NodeChange of(NodeKey key, Kind kind) {
        return new NodeChange(key, kind, IscsiError.OK, "");
    }
}
