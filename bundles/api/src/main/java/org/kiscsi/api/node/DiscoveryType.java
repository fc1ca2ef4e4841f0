package org.kiscsi.api.node;

import java.util.Locale;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/** How a target was or is to be discovered, with the names iscsiadm's {@code -t} takes. */
public enum DiscoveryType {
    SENDTARGETS("sendtargets", "st"),
    ISNS("isns", "isns"),
    STATIC("static", "static"),
    FIRMWARE("fw", "fw");

    private final String recordName;
    private final String shortName;

    DiscoveryType(String recordName, String shortName) {
        this.recordName = recordName;
        this.shortName = shortName;
    }

    /** The name record files use ({@code discovery.type = sendtargets}). */
    public String recordName() {
        return recordName;
    }

    /** Parses iscsiadm's {@code -t} argument: {@code sendtargets}, {@code st}, {@code isns}, ... */
    public static DiscoveryType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (DiscoveryType d : values()) {
            if (d.recordName.equals(t) || d.shortName.equals(t)) {
                return d;
            }
        }
        throw new IscsiException(IscsiError.UNKNOWN_DISCOVERY_TYPE, "unknown discovery type '" + text + "'");
    }

    @Override
    public String toString() {
        return recordName;
    }
}
