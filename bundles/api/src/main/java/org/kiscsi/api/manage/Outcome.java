package org.kiscsi.api.manage;

import java.util.List;
import java.util.Objects;

import org.kiscsi.api.IscsiError;

/**
 * What happened to one subject of an operation that acts on several (log in to three portals, update
 * every record of a target): open-iscsi reports each, and exits with the status of a failed one.
 *
 * @param subject what was acted on (a node key, a session, an iface name)
 * @param status {@link IscsiError#OK}, or why it failed
 * @param message empty on success; on failure what failed and where, in one line
 * @param warnings lines an admin should read although the operation succeeded (a record key set to a
 *        value kiscsi keeps without acting on it), one per matter; usually empty
 */
public record Outcome<T>(T subject, IscsiError status, String message, List<String> warnings) {
    public Outcome {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        warnings = List.copyOf(warnings);
    }

    /** Without warnings. */
    public Outcome(T subject, IscsiError status, String message) {
        this(subject, status, message, List.of());
    }

    /** This outcome with {@code more} warnings after its own. */
    public Outcome<T> withWarnings(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new Outcome<>(subject, status, message, all);
    }

    public static <T> Outcome<T> ok(T subject) {
        return new Outcome<>(subject, IscsiError.OK, "");
    }

    public static <T> Outcome<T> failed(T subject, IscsiError status, String message) {
        if (status == IscsiError.OK) {
            throw new IllegalArgumentException("a failed outcome needs an error status");
        }
        return new Outcome<>(subject, status, message);
    }

    public boolean isOk() {
        return status == IscsiError.OK;
    }
}
