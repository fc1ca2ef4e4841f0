package org.kiscsi.api.node;

import java.util.Objects;

/**
 * What kiscsi does with one record key (see {@link RecordEffects}).
 *
 * @param key the dotted key
 * @param kind acted on, identity, kept for open-iscsi, or refused unless default
 * @param note for {@link Kind#ACTED_ON} where it is acted on; for {@link Kind#IDENTITY} what it
 *        names; otherwise why kiscsi does not act on it, in one line
 */
public record KeyEffect(String key, Kind kind, String note) {
    /** The kinds of key. */
    public enum Kind {
        /** kiscsi reads the key and acts on it. */
        ACTED_ON,
        /** It names the record, or links it to the discovery that found it; an update does not change it. */
        IDENTITY,
        /**
         * Stored and shown so open-iscsi and kiscsi share records, without effect in kiscsi: a value
         * other than the default is accepted with a warning (on update and at login).
         */
        KEPT_FOR_OPEN_ISCSI,
        /**
         * kiscsi cannot honour a value other than the default, and doing without it silently would
         * mislead: an update to such a value is refused (INVAL), and so is a login of a record holding one.
         */
        REFUSED_UNLESS_DEFAULT
    }

    public KeyEffect {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(note, "note");
    }

    /** The one line an admin reads about a value that kiscsi does not act on, or refuses. */
    public String explain() {
        return switch (kind) {
            case KEPT_FOR_OPEN_ISCSI -> key + " is kept for open-iscsi and has no effect in kiscsi: " + note;
            case REFUSED_UNLESS_DEFAULT -> key + " cannot be honoured by kiscsi: " + note;
            default -> key + ": " + note;
        };
    }
}
