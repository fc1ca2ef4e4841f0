package org.kiscsi.iscsid.internal.manage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.KeyEffect;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordEffects;
import org.kiscsi.api.node.RecordSchema;

/**
 * Which keys an update may change, with open-iscsi 2.1.8's refusals (usr/iscsiadm.c
 * verify_node_params, usr/idbm.c idbm_verify_param, verify_iface_params), all INVAL and all
 * checked before anything is written.
 */
final class RecordKeys {
    /** Node keys open-iscsi will not change: they name the record (can_modify 0 in idbm.c). */
    static final Set<String> NODE_LOOKUP = Set.of(NodeKeys.NAME, NodeKeys.TPGT, NodeKeys.ADDRESS, NodeKeys.PORT,
            NodeKeys.DISCOVERY_ADDRESS, NodeKeys.DISCOVERY_PORT, NodeKeys.DISCOVERY_TYPE);
    /** kiscsi's own node keys (see NodeKeys): accepted beside open-iscsi's. */
    static final Set<String> KISCSI_NODE_KEYS = Set.of(NodeKeys.AUTH_STRICT, NodeKeys.SCSI_CMD_TIMEOUT);

    private RecordKeys() {
    }

    /** The changes of a node update, {@code node.transport_name} read as {@code iface.transport_name} (as 2.1.8 does). */
    static List<RecordChange> checkNode(List<RecordChange> changes) {
        if (changes.isEmpty()) {
            throw new IscsiException(IscsiError.INVAL, "update requires name and value");
        }
        List<RecordChange> out = new ArrayList<>();
        for (RecordChange c : changes) {
            if (c.key().startsWith("iface.") && !c.key().equals(NodeKeys.TRANSPORT_NAME)) {
                throw new IscsiException(IscsiError.INVAL, "Cannot modify " + c.key() + ". Use iface mode to update this value.");
            }
            out.add(c.key().equals("node.transport_name") ? new RecordChange(NodeKeys.TRANSPORT_NAME, c.value()) : c);
        }
        for (RecordChange c : out) {
            if (NODE_LOOKUP.contains(c.key())) {
                throw lookupKey(c.key());
            }
            if (!RecordSchema.NODE.knows(c.key()) && !KISCSI_NODE_KEYS.contains(c.key())) {
                throw invalidName(c.key());
            }
        }
        out.forEach(c -> ValueRules.check(RecordSchema.NODE, c));
        out.forEach(c -> refuseUnhonoured(RecordSchema.NODE, c));
        return out;
    }

    /** The changes of an iface update: {@code iface.*} keys of open-iscsi's iface records, the name excepted. */
    static void checkIface(List<RecordChange> changes) {
        if (changes.isEmpty()) {
            throw new IscsiException(IscsiError.INVAL, "Update requires name, value, and iface.");
        }
        for (RecordChange c : changes) {
            if (c.key().equals(NodeKeys.IFACE_NAME)) {
                throw new IscsiException(IscsiError.INVAL,
                        "Can not update iface.iscsi_ifacename. Delete it, and then create a new one.");
            }
            if (!RecordSchema.IFACE.knows(c.key())) {
                throw invalidName(c.key());
            }
            ValueRules.check(RecordSchema.IFACE, c);
            refuseUnhonoured(RecordSchema.IFACE, c);
        }
    }

    /** The changes of a discovery record update: {@code discovery.*} keys of that kind, its address excepted. */
    static void checkDiscovery(DiscoveryType type, List<RecordChange> changes) {
        RecordSchema kind = schema(type);
        if (changes.isEmpty()) {
            throw new IscsiException(IscsiError.INVAL, "update requires name and value");
        }
        for (RecordChange c : changes) {
            if (c.key().equals("discovery.type") || c.key().equals("discovery.sendtargets.address")
                    || c.key().equals("discovery.sendtargets.port")) {
                throw lookupKey(c.key());
            }
            boolean own = type == DiscoveryType.SENDTARGETS && c.key().equals("discovery.sendtargets.auth.strict");
            if (!own && !(kind.knows(c.key()) && c.key().startsWith("discovery."))) {
                throw invalidName(c.key());
            }
            ValueRules.check(kind, c);
            refuseUnhonoured(kind, c);
        }
    }

    /**
     * One warning per change that sets a key kiscsi keeps for open-iscsi without acting on it to a
     * value other than its default (RecordEffects): the update succeeds, the admin is told.
     */
    static List<String> warnings(RecordSchema kind, List<RecordChange> changes) {
        List<String> out = new ArrayList<>();
        for (RecordChange c : changes) {
            RecordEffects.find(kind, c.key())
                    .filter(e -> e.kind() == KeyEffect.Kind.KEPT_FOR_OPEN_ISCSI)
                    .filter(e -> !RecordEffects.isDefault(kind, c.key(), c.value()))
                    .map(KeyEffect::explain)
                    .filter(w -> !out.contains(w))
                    .ifPresent(out::add);
        }
        return out;
    }

    /** A value kiscsi cannot honour where doing without it would mislead (RecordEffects): INVAL, saying why. */
    private static void refuseUnhonoured(RecordSchema kind, RecordChange c) {
        RecordEffects.find(kind, c.key())
                .filter(e -> e.kind() == KeyEffect.Kind.REFUSED_UNLESS_DEFAULT)
                .filter(e -> !RecordEffects.isDefault(kind, c.key(), c.value()))
                .ifPresent(e -> {
                    throw new IscsiException(IscsiError.INVAL, "Cannot set " + c.key() + ": " + e.explain() + ".");
                });
    }

    static RecordSchema schema(DiscoveryType type) {
        return switch (type) {
            case SENDTARGETS -> RecordSchema.SENDTARGETS;
            case ISNS -> RecordSchema.ISNS;
            default -> throw new IscsiException(IscsiError.UNKNOWN_DISCOVERY_TYPE, "discovery records of type " + type.recordName()
                    + " are not kept");
        };
    }

    private static IscsiException lookupKey(String key) {
        return new IscsiException(IscsiError.INVAL, "Cannot modify " + key + ". It is used to look up the record and cannot be changed.");
    }

    private static IscsiException invalidName(String key) {
        return new IscsiException(IscsiError.INVAL, "Cannot modify " + key + ". Invalid param name.");
    }
}
