package org.kiscsi.api.node;

import java.util.Locale;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/** How a target was or is to be discovered, with the names iscsiadm's {@code -t} takes. */
public enum DiscoveryType {
    SENDTARGETS("sendtargets", "st", "send_targets"),
    ISNS("isns", "isns", "isns"),
    STATIC("static", "static", "static"),
    FIRMWARE("fw", "fw", "fw");

    private final String recordName;
    private final String shortName;
    private final String nodeValue;

    DiscoveryType(String recordName, String shortName, String nodeValue) {
        this.recordName = recordName;
        this.shortName = shortName;
        this.nodeValue = nodeValue;
    }

    /**
     * The word node records carry in {@code node.discovery_type} ({@code send_targets}, not
     * {@code sendtargets}: open-iscsi writes, reads and links by this one).
     */
    public String nodeValue() {
        return nodeValue;
    }

    /** The type a node record's {@code node.discovery_type} names, if any. */
    public static java.util.Optional<DiscoveryType> ofNodeValue(String value) {
        String v = value == null ? "" : value.trim();
        for (DiscoveryType d : values()) {
            if (d.nodeValue.equals(v)) {
                return java.util.Optional.of(d);
            }
        }
        return java.util.Optional.empty();
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
