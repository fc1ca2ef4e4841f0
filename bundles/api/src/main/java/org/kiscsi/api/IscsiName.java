package org.kiscsi.api;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An iSCSI name (RFC 7143 section 4.2.7): {@code iqn.YYYY-MM.reversed.domain[:unique]},
 * {@code eui.} followed by 16 hex digits, or {@code naa.} followed by 16 or 32 hex digits; at most
 * 223 bytes in UTF-8. Names compare case-insensitively, as RFC 3722's normalisation makes them.
 */
public final class IscsiName implements Comparable<IscsiName> {
    /** RFC 7143: an iSCSI name is at most 223 bytes long. */
    public static final int MAX_BYTES = 223;

    public enum Type { IQN, EUI, NAA }

    private static final Pattern IQN = Pattern.compile("iqn\\.\\d{4}-(0[1-9]|1[0-2])\\.[^.:]+(\\.[^.:]+)*(:.+)?");
    private static final Pattern EUI = Pattern.compile("eui\\.[0-9a-f]{16}");
    private static final Pattern NAA = Pattern.compile("naa\\.([0-9a-f]{16}|[0-9a-f]{32})");

    private final String value;
    private final Type type;

    private IscsiName(String value, Type type) {
        this.value = value;
        this.type = type;
    }

    /**
     * Parses a name.
     *
     * @throws IscsiException ({@link IscsiError#INVAL}) saying what is wrong with the name
     */
    public static IscsiName of(String name) {
        Optional<String> problem = problem(name);
        if (problem.isPresent()) {
            throw new IscsiException(IscsiError.INVAL, "invalid iSCSI name '" + name + "': " + problem.get());
        }
        return new IscsiName(name, typeOf(name));
    }

    /** Whether {@code name} is a valid iSCSI name. */
    public static boolean isValid(String name) {
        return problem(name).isEmpty();
    }

    /** What is wrong with {@code name}, or empty when it is a valid iSCSI name. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("longer than " + MAX_BYTES + " bytes");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            // RFC 3722: ASCII letters, digits, '-', '.', ':' plus non-ASCII characters after stringprep.
            boolean ok = c > 0x7f ? !Character.isWhitespace(c) && !Character.isISOControl(c)
                    : Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == ':';
            if (!ok) {
                return Optional.of("character '" + c + "' at position " + i + " is not allowed");
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("iqn.")) {
            return IQN.matcher(lower).matches() ? Optional.empty()
                    : Optional.of("expected iqn.YYYY-MM.reversed.domain[:identifier]");
        }
        if (lower.startsWith("eui.")) {
            return EUI.matcher(lower).matches() ? Optional.empty() : Optional.of("expected eui. and 16 hex digits");
        }
        if (lower.startsWith("naa.")) {
            return NAA.matcher(lower).matches() ? Optional.empty()
                    : Optional.of("expected naa. and 16 or 32 hex digits");
        }
        return Optional.of("must start with iqn., eui. or naa.");
    }

    private static Type typeOf(String name) {
        switch (name.substring(0, 3).toLowerCase(Locale.ROOT)) {
            case "iqn": return Type.IQN;
            case "eui": return Type.EUI;
            default: return Type.NAA;
        }
    }

    public String value() {
        return value;
    }

    public Type type() {
        return type;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IscsiName && ((IscsiName) o).value.equalsIgnoreCase(value);
    }

    @Override
    public int hashCode() {
        return value.toLowerCase(Locale.ROOT).hashCode();
    }

    @Override
    public int compareTo(IscsiName o) {
        return value.compareToIgnoreCase(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
