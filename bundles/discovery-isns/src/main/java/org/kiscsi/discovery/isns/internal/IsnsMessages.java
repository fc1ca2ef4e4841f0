package org.kiscsi.discovery.isns.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.discovery.DiscoveredTarget;

/**
 * The iSNSP messages an initiator sends (RFC 4171 section 5.6.5): each is the source attribute
 * (our iSCSI name, by which the server enforces discovery domains), the message key, a delimiter
 * and the operating attributes.
 */
public final class IsnsMessages {
    private IsnsMessages() {
    }

    /** Where we hear SCNs and ESIs: the portal we register (its TCP port is the SCN listener's). */
    public record Listening(InetAddress address, int scnPort, int esiPort) {
    }

    /**
     * DevAttrReg of our entity and node (an initiator), with our portal when {@code listening} is
     * given. {@code esi} false leaves the ESI port out (for servers without ESI).
     */
    public static List<IsnsTlv> register(IscsiName me, String entity, Optional<Listening> listening, boolean esi,
            int periodSeconds) {
        List<IsnsTlv> a = new ArrayList<>();
        a.add(IsnsTlv.string(IsnsTlv.ISCSI_NAME, me.toString()));
        a.add(IsnsTlv.string(IsnsTlv.ENTITY_IDENTIFIER, entity));
        a.add(IsnsTlv.delimiter());
        a.add(IsnsTlv.string(IsnsTlv.ENTITY_IDENTIFIER, entity));
        a.add(IsnsTlv.u32(IsnsTlv.ENTITY_PROTOCOL, IsnsTlv.ENTITY_PROTOCOL_ISCSI));
        a.add(IsnsTlv.u32(IsnsTlv.REGISTRATION_PERIOD, periodSeconds));
        listening.ifPresent(l -> {
            a.add(IsnsTlv.address(IsnsTlv.PORTAL_IP_ADDRESS, l.address()));
            a.add(IsnsTlv.u32(IsnsTlv.PORTAL_PORT, l.scnPort()));
            a.add(IsnsTlv.u32(IsnsTlv.SCN_PORT, l.scnPort()));
            if (esi) {
                a.add(IsnsTlv.u32(IsnsTlv.ESI_PORT, l.esiPort()));
            }
        });
        a.add(IsnsTlv.string(IsnsTlv.ISCSI_NAME, me.toString()));
        a.add(IsnsTlv.u32(IsnsTlv.ISCSI_NODE_TYPE, IsnsTlv.NODE_TYPE_INITIATOR));
        return a;
    }

    /** SCNReg for targets added, removed and updated that we may see. */
    public static List<IsnsTlv> scnRegister(IscsiName me) {
        return List.of(IsnsTlv.string(IsnsTlv.ISCSI_NAME, me.toString()), IsnsTlv.string(IsnsTlv.ISCSI_NAME, me.toString()),
                IsnsTlv.delimiter(), IsnsTlv.u32(IsnsTlv.ISCSI_SCN_BITMAP, IsnsTlv.SCN_OBJECT_ADDED | IsnsTlv.SCN_OBJECT_REMOVED
                        | IsnsTlv.SCN_OBJECT_UPDATED | IsnsTlv.SCN_TARGET_AND_SELF_ONLY));
    }

    /** DevAttrQry: every target node we may see, with its portal groups (name, address, port, tag). */
    public static List<IsnsTlv> queryTargets(IscsiName me) {
        List<IsnsTlv> a = new ArrayList<>();
        a.add(IsnsTlv.string(IsnsTlv.ISCSI_NAME, me.toString()));
        a.add(IsnsTlv.u32(IsnsTlv.ISCSI_NODE_TYPE, IsnsTlv.NODE_TYPE_TARGET));
        a.add(IsnsTlv.delimiter());
        for (int tag : new int[] {IsnsTlv.ISCSI_NAME, IsnsTlv.ISCSI_NODE_TYPE, IsnsTlv.PG_ISCSI_NAME, IsnsTlv.PG_PORTAL_IP_ADDR,
            IsnsTlv.PG_PORTAL_PORT, IsnsTlv.PG_TAG}) {
            a.add(IsnsTlv.empty(tag));
        }
        return a;
    }

    /**
     * DevAttrQry of one target node (by name): the node with its portal groups, the same attributes
     * as {@link #queryTargets}, read with {@link #targets}.
     */
    public static List<IsnsTlv> queryTarget(IscsiName me, String target) {
        List<IsnsTlv> a = new ArrayList<>(queryTargets(me));
        a.set(1, IsnsTlv.string(IsnsTlv.ISCSI_NAME, target));
        return a;
    }

    /**
     * DevGetNext (RFC 4171 section 5.6.5.3): the storage node after {@code after} (empty: the
     * first), scoped to target nodes, asking for its node type.
     */
    public static List<IsnsTlv> getNextTarget(IscsiName me, Optional<String> after) {
        return List.of(IsnsTlv.string(IsnsTlv.ISCSI_NAME, me.toString()),
                after.map(n -> IsnsTlv.string(IsnsTlv.ISCSI_NAME, n)).orElse(IsnsTlv.empty(IsnsTlv.ISCSI_NAME)),
                IsnsTlv.delimiter(),
                IsnsTlv.u32(IsnsTlv.ISCSI_NODE_TYPE, IsnsTlv.NODE_TYPE_TARGET), // non-empty: the scope
                IsnsTlv.empty(IsnsTlv.ISCSI_NODE_TYPE)); // empty: what to return of the next node
    }

    /** The node a DevGetNextRsp names (its message key: the iSCSI name before the delimiter). */
    public static String nextNodeName(List<IsnsTlv> response) {
        if (response.isEmpty() || response.get(0).tag() != IsnsTlv.ISCSI_NAME) {
            throw new IsnsFormatException("no iSCSI name as the message key"
                    + (response.isEmpty() ? " (no attributes)" : " (attribute " + response.get(0).tag() + " first)"));
        }
        String name = response.get(0).asString();
        if (name.isEmpty()) {
            throw new IsnsFormatException("an empty iSCSI name as the message key");
        }
        return name;
    }

    /** Whether a DevGetNextRsp says the node is a target (true when it leaves the type out: it was the scope). */
    public static boolean nextIsTarget(List<IsnsTlv> response) {
        for (IsnsTlv t : afterDelimiter(response)) {
            if (t.tag() == IsnsTlv.ISCSI_NODE_TYPE && t.length() != 0) {
                return (t.asU32() & IsnsTlv.NODE_TYPE_TARGET) != 0;
            }
        }
        return true;
    }

    /** DevDereg of our entity (and with it our portal, node and SCN registration). */
    public static List<IsnsTlv> deregister(IscsiName me, String entity) {
        return List.of(IsnsTlv.string(IsnsTlv.ISCSI_NAME, me.toString()), IsnsTlv.delimiter(),
                IsnsTlv.string(IsnsTlv.ENTITY_IDENTIFIER, entity));
    }

    /** The registration period the server granted (in a DevAttrRegRsp), if it says. */
    public static Optional<Integer> registrationPeriod(List<IsnsTlv> response) {
        for (IsnsTlv t : afterDelimiter(response)) {
            if (t.tag() == IsnsTlv.REGISTRATION_PERIOD) {
                return Optional.of(t.asU32());
            }
        }
        return Optional.empty();
    }

    /**
     * The targets a DevAttrQryRsp lists: each target node with the portals of its portal groups
     * (TPGT from the group's tag). Nodes that are not targets, and groups of nodes the answer does
     * not list, are left out. Malformed attributes fail the whole answer.
     */
    public static List<DiscoveredTarget> targets(List<IsnsTlv> response) {
        Set<String> targets = new LinkedHashSet<>();
        Map<String, List<Portal>> portals = new LinkedHashMap<>();
        String node = null;
        String pgName = null;
        String pgAddress = null;
        int pgPort = -1;
        for (IsnsTlv t : afterDelimiter(response)) {
            switch (t.tag()) {
                case IsnsTlv.ISCSI_NAME -> node = t.asString();
                case IsnsTlv.ISCSI_NODE_TYPE -> {
                    if (node == null) {
                        throw new IsnsFormatException("a node type without the iSCSI name before it");
                    }
                    if ((t.asU32() & IsnsTlv.NODE_TYPE_TARGET) != 0) {
                        targets.add(node);
                    }
                }
                case IsnsTlv.PG_ISCSI_NAME -> {
                    pgName = t.asString();
                    pgAddress = null;
                    pgPort = -1;
                }
                case IsnsTlv.PG_PORTAL_IP_ADDR -> pgAddress = t.asAddressText();
                case IsnsTlv.PG_PORTAL_PORT -> pgPort = t.asPort();
                case IsnsTlv.PG_TAG -> {
                    if (pgName == null || pgAddress == null || pgPort < 0) {
                        throw new IsnsFormatException("a portal group tag without the group's name, address and port before it");
                    }
                    // an empty tag: the portal is not in a group for this node (no access through it)
                    if (t.length() != 0) {
                        int tag = t.asU32();
                        portals.computeIfAbsent(pgName, k -> new ArrayList<>()).add(portal(pgName, pgAddress, pgPort, tag & 0xffff));
                    }
                    pgName = null;
                }
                default -> { } // other attributes the server adds (indexes, ...) carry nothing we use
            }
        }
        List<DiscoveredTarget> found = new ArrayList<>();
        for (String name : targets) {
            List<Portal> ps = portals.getOrDefault(name, List.of());
            if (!ps.isEmpty()) {
                if (!IscsiName.isValid(name)) {
                    throw new IsnsFormatException("target name '" + name + "' is not a valid iSCSI name");
                }
                found.add(new DiscoveredTarget(IscsiName.of(name), ps));
            }
        }
        return found;
    }

    /** A portal group's portal; one no portal can be (port 0) is the answer's fault, named as such. */
    private static Portal portal(String node, String address, int port, int tpgt) {
        try {
            return Portal.of(address, port, tpgt);
        } catch (IscsiException e) {
            throw new IsnsFormatException("portal group of " + node + ": " + e.getMessage());
        }
    }

    private static List<IsnsTlv> afterDelimiter(List<IsnsTlv> attrs) {
        for (int i = 0; i < attrs.size(); i++) {
            if (attrs.get(i).tag() == IsnsTlv.DELIMITER) {
                return attrs.subList(i + 1, attrs.size());
            }
        }
        return attrs;
    }
}
