package org.kiscsi.mgmt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the fields of one row (or a request's arguments), under a key prefix for nested
 * values ({@code conn[0].cid}). Readers take the keys they know and ignore the rest, so a later
 * version can add keys that older peers do not understand.
 */
final class Fields {
    private Fields() {
    }

    /** Appends pairs under a prefix. */
    static final class Writer {
        private final List<MgmtPair> out;
        private final String prefix;

        Writer() {
            this(new ArrayList<>(), "");
        }

        private Writer(List<MgmtPair> out, String prefix) {
            this.out = out;
            this.prefix = prefix;
        }

        Writer put(String key, String value) {
            out.add(new MgmtPair(prefix + key, value));
            return this;
        }

        Writer put(String key, long value) {
            return put(key, Long.toString(value));
        }

        Writer put(String key, boolean value) {
            return put(key, value ? "yes" : "no");
        }

        /** Each pair of {@code values} as {@code <prefix><key>}. */
        Writer putAll(String keyPrefix, Map<String, String> values) {
            values.forEach((k, v) -> put(keyPrefix + k, v));
            return this;
        }

        Writer nested(String nestedPrefix) {
            return new Writer(out, prefix + nestedPrefix);
        }

        List<MgmtPair> pairs() {
            return out;
        }

        MgmtRow row() {
            return new MgmtRow(0, "", out);
        }
    }

    /** Reads pairs under a prefix. */
    static final class Reader {
        private final List<MgmtPair> in;
        private final String prefix;
        private final String what;

        Reader(List<MgmtPair> in, String what) {
            this(in, "", what);
        }

        private Reader(List<MgmtPair> in, String prefix, String what) {
            this.in = in;
            this.prefix = prefix;
            this.what = what;
        }

        Optional<String> opt(String key) {
            String k = prefix + key;
            for (MgmtPair p : in) {
                if (p.key().equals(k)) {
                    return Optional.of(p.value());
                }
            }
            return Optional.empty();
        }

        List<String> all(String key) {
            String k = prefix + key;
            List<String> out = new ArrayList<>();
            for (MgmtPair p : in) {
                if (p.key().equals(k)) {
                    out.add(p.value());
                }
            }
            return out;
        }

        String req(String key) {
            return opt(key).orElseThrow(() -> new IllegalArgumentException(what + " lacks '" + prefix + key + "'"));
        }

        long num(String key) {
            String v = req(key);
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": '" + prefix + key + "' is not a number: '" + v + "'");
            }
        }

        int integer(String key) {
            long v = num(key);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + ": '" + prefix + key + "' is out of range: " + v);
            }
            return (int) v;
        }

        boolean bool(String key) {
            String v = req(key);
            if (!v.equals("yes") && !v.equals("no")) {
                throw new IllegalArgumentException(what + ": '" + prefix + key + "' is not yes or no: '" + v + "'");
            }
            return v.equals("yes");
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type) {
            String v = req(key);
            try {
                return Enum.valueOf(type, v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": '" + prefix + key + "' is not a " + type.getSimpleName()
                        + ": '" + v + "'");
            }
        }

        /** The pairs whose key starts with {@code <prefix><keyPrefix>}, that part removed, in order. */
        Map<String, String> under(String keyPrefix) {
            String k = prefix + keyPrefix;
            Map<String, String> m = new LinkedHashMap<>();
            for (MgmtPair p : in) {
                if (p.key().startsWith(k)) {
                    m.put(p.key().substring(k.length()), p.value());
                }
            }
            return m;
        }

        /** Every pair, whatever its prefix (for arguments whose meaning is their order: n/v). */
        List<MgmtPair> allPairs() {
            return in;
        }

        boolean has(String key) {
            return opt(key).isPresent();
        }

        Reader nested(String nestedPrefix) {
            return new Reader(in, prefix + nestedPrefix, what);
        }
    }
}
