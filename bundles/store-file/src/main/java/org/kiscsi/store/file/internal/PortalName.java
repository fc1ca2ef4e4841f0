package org.kiscsi.store.file.internal;

import java.util.Optional;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;

/** A directory or file name {@code <ip>,<port>[,<tpgt>]} read back into a portal. */
final class PortalName {
    private PortalName() {
    }

    /**
     * Parses a name as open-iscsi does (address up to the first comma); empty when it is not one
     * (open-iscsi skips names without a comma).
     */
    static Optional<Portal> parse(String name) {
        int comma = name.indexOf(',');
        if (comma <= 0) {
            return Optional.empty();
        }
        String address = name.substring(0, comma);
        String[] rest = name.substring(comma + 1).split(",", -1);
        if (rest.length > 2) {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(rest[0]);
            int tpgt = rest.length == 2 ? Integer.parseInt(rest[1]) : Portal.TPGT_UNKNOWN;
            return Optional.of(Portal.of(address, port, tpgt));
        } catch (NumberFormatException | IscsiException e) {
            return Optional.empty();
        }
    }
}
