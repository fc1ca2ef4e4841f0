package org.kiscsi.iscsid.internal.conf;

import org.kiscsi.api.node.DiscoveryType;

/**
 * A key iscsid.conf may set.
 *
 * @param name the dotted key
 * @param use what kiscsi does with it
 * @param discoveryType for {@link Use#DISCOVERY} keys, the kind of discovery record they default; else null
 * @param rule the values it accepts
 */
public record ConfKey(String name, Use use, DiscoveryType discoveryType, ValueRule rule) {
    /** What a key is for. */
    public enum Use {
        /** A default for new node records. */
        NODE,
        /**
         * A default for new node records that kiscsi does not act on but keeps for open-iscsi's tools
         * reading the same records: accepted with an informational line.
         */
        NODE_NOT_ACTED_ON,
        /** A default for new discovery records of {@link ConfKey#discoveryType()}. */
        DISCOVERY,
        /** open-iscsi ships it; kiscsi has no use for it: accepted with an informational line. */
        UNUSED,
        /**
         * A key of older open-iscsi releases that 2.1.8 reads no more ({@code isns.address},
         * {@code isns.port}): refused with a warning saying what replaced it.
         */
        REFUSED
    }
}
