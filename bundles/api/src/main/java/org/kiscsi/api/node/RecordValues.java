package org.kiscsi.api.node;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/**
 * The {@code key = value} pairs of a record, in the order they were given, immutable. Keys are
 * open-iscsi's dotted keys ({@code node.session.auth.username}, {@code node.conn[0].port}, ...).
 * Values are kept as text, exactly as a record file holds them; typed getters parse on demand and
 * name the key when a value does not parse.
 *
 * <p>{@link #toString()} and the messages of the typed getters mask secrets (see {@link Secrets}),
 * so a record can be logged.
 */
public final class RecordValues {
    /** What {@code show} output and logs print instead of a secret, as iscsiadm does ({@link Secrets#MASK}). */
    public static final String MASK = Secrets.MASK;
    private static final RecordValues EMPTY = new RecordValues(Map.of());

    private final Map<String, String> values;

    private RecordValues(Map<String, String> values) {
        this.values = values;
    }

    public static RecordValues empty() {
        return EMPTY;
    }

    public static RecordValues of(Map<String, String> values) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(checkKey(k), v == null ? "" : v));
        return new RecordValues(Collections.unmodifiableMap(copy));
    }

    private static String checkKey(String key) {
        if (key == null || key.isBlank() || key.chars().anyMatch(c -> c == '=' || Character.isWhitespace(c))) {
            throw new IscsiException(IscsiError.INVAL, "invalid record key '" + key + "'");
        }
        return key;
    }

    /** Whether a key holds a secret ({@link Secrets#isSecret}). */
    public static boolean isSecret(String key) {
        return Secrets.isSecret(key);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    /** The value as an int, or {@code defaultValue} when absent or empty. */
    public int getInt(String key, int defaultValue) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IscsiException(IscsiError.INVAL, "record key " + key + ": '" + Secrets.mask(key, v) + "' is not an integer");
        }
    }

    /** Yes/No (as iscsid.conf writes booleans; also true/false, 1/0), or {@code defaultValue} when absent. */
    public boolean getBoolean(String key, boolean defaultValue) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "yes": case "true": case "1": return true;
            case "no": case "false": case "0": return false;
            default:
                throw new IscsiException(IscsiError.INVAL, "record key " + key + ": '" + Secrets.mask(key, v) + "' is not Yes or No");
        }
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    /** All pairs, in order, secrets included: for stores and the engine, never for printing. */
    public Map<String, String> asMap() {
        return values;
    }

    /** All pairs in order with secrets replaced by {@link #MASK}: for show output. */
    public Map<String, String> masked() {
        return Secrets.masked(values);
    }

    /** A copy with {@code key} set to {@code value} (appended when new, in place when present). */
    public RecordValues with(String key, String value) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(values);
        copy.put(checkKey(key), value == null ? "" : value);
        return new RecordValues(Collections.unmodifiableMap(copy));
    }

    /** A copy with every pair of {@code other} applied over this one's. */
    public RecordValues withAll(Map<String, String> other) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(values);
        other.forEach((k, v) -> copy.put(checkKey(k), v == null ? "" : v));
        return new RecordValues(Collections.unmodifiableMap(copy));
    }

    public RecordValues without(String key) {
        if (!values.containsKey(key)) {
            return this;
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(values);
        copy.remove(key);
        return new RecordValues(Collections.unmodifiableMap(copy));
    }

    public int size() {
        return values.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordValues && ((RecordValues) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** {@code {key=value, ...}} with secrets masked. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        masked().forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }
}
