package org.kiscsi.engine.internal;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Isid;
import org.kiscsi.api.node.NodeRecord;

/**
 * Stable ISIDs: one per (node record, iface, session index). A record may carry its ISIDs
 * ({@code node.session.isid[N]}, kiscsi's key); otherwise the ISID is derived from the initiator
 * name, target, portal and iface, so a restart — even without a node store — logs in with the same
 * ISID and reinstates the same I_T nexus (persistent reservations depend on it).
 */
public final class Isids {
    private Isids() {
    }

    /** The record key that keeps the ISID of session {@code index}. */
    public static String key(int index) {
        return "node.session.isid[" + index + "]";
    }

    public static Isid forSession(NodeRecord record, String initiatorName, int index) {
        String kept = record.values().get(key(index), "").trim();
        if (!kept.isEmpty()) {
            try {
                return Isid.parse(kept);
            } catch (IscsiException e) {
                throw new IscsiException(e.error(), "record " + record.key() + " key " + key(index) + ": " + e.getMessage());
            }
        }
        CRC32C c = new CRC32C();
        c.update((initiatorName + "|" + record.target().value().toLowerCase(java.util.Locale.ROOT) + "|"
                + record.portal().hostPort().toLowerCase(java.util.Locale.ROOT) + "|" + record.iface())
                .getBytes(StandardCharsets.UTF_8));
        int random22 = (int) (c.getValue() & 0x3FFFFF);
        // the qualifier distinguishes the sessions of one record (node.session.nr_sessions)
        return Isid.random(random22, index & 0xFFFF);
    }
}
