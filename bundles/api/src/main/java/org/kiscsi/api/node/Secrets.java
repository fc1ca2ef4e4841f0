package org.kiscsi.api.node;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which record keys hold secrets, and how text that is printed (show output, logs, messages) hides
 * them. The one place that decides it: {@link RecordValues#toString()}, {@link RecordValues#masked()}
 * and {@code show} output all use it, so a show that reveals secrets ({@code -S/--show}) is a choice
 * to print {@link RecordValues#asMap()} instead.
 */
public final class Secrets {
    /** What is printed instead of a secret, as open-iscsi's {@code iscsiadm -o show} prints it. */
    public static final String MASK = "********";

    private Secrets() {
    }

    /**
     * Whether {@code key} holds a secret: any key whose last part is {@code password} or
     * {@code password_in} ({@code node.session.auth.password}, {@code discovery.sendtargets.auth.password_in}, ...).
     */
    public static boolean isSecret(String key) {
        return key.endsWith(".password") || key.endsWith(".password_in");
    }

    /** {@code value}, or {@link #MASK} when {@code key} holds a secret and the value is not empty (as open-iscsi masks). */
    public static String mask(String key, String value) {
        return isSecret(key) && value != null && !value.isEmpty() ? MASK : value;
    }

    /** A copy of {@code values} in the same order, secrets replaced by {@link #MASK}. */
    public static Map<String, String> masked(Map<String, String> values) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, mask(k, v)));
        return Collections.unmodifiableMap(m);
    }
}
