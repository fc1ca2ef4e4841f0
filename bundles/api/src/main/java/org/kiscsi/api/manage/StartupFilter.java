package org.kiscsi.api.manage;

import java.util.Locale;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/**
 * Which records {@code iscsiadm -m node -L|-U} act on, by their {@code node.startup}.
 */
public enum StartupFilter {
    /** Every record. */
    ALL,
    /** {@code node.startup = automatic}. */
    AUTOMATIC,
    /** {@code node.startup = manual}. */
    MANUAL,
    /** {@code node.startup = onboot}. */
    ONBOOT;

    /** Whether a record whose {@code node.startup} is {@code startup} is selected. */
    public boolean selects(String startup) {
        return this == ALL || name().toLowerCase(Locale.ROOT).equals(startup == null ? "" : startup.trim());
    }

    /** From iscsiadm's word ({@code all}, {@code automatic}, {@code manual}, {@code onboot}). */
    public static StartupFilter parse(String word) {
        for (StartupFilter f : values()) {
            if (f.name().toLowerCase(Locale.ROOT).equals(word)) {
                return f;
            }
        }
        throw new IscsiException(IscsiError.INVAL, "invalid -L/-U value '" + word
                + "' (all, automatic, manual or onboot)");
    }
}
