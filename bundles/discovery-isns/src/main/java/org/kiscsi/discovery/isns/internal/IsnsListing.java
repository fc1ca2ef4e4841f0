package org.kiscsi.discovery.isns.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the targets we may see on one iSNS server. One DevAttrQry asks for all of them at once; a
 * server that cannot put that answer into its messages (isnsd builds each in 8 KiB and answers
 * Internal Error when it does not fit: some fifty targets) is walked node by node instead: DevGetNext
 * from the first target node to the last (No Such Entry), then a DevAttrQry per target for its portal
 * groups. Once a server has needed the walk, this listing keeps walking it. The walk is bounded: a
 * server that names a node it named before, or more than {@link #MAX_NODES}, fails the listing.
 */
public final class IsnsListing {
    private static final Logger LOG = LoggerFactory.getLogger(IsnsListing.class);
    /** The most target nodes one walk takes from a server. */
    public static final int MAX_NODES = 65_536;

    private final IscsiName me;
    private final int maxNodes;
    private volatile boolean walk;

    public IsnsListing(IscsiName me) {
        this(me, MAX_NODES);
    }

    IsnsListing(IscsiName me, int maxNodes) {
        this.me = me;
        this.maxNodes = maxNodes;
    }

    /** Whether this server's answers are too big for one DevAttrQry, so that it is walked with DevGetNext. */
    public boolean walks() {
        return walk;
    }

    /** The targets we may see, with their portals; nothing from a bad answer (it fails naming the server). */
    public List<DiscoveredTarget> list(IsnsConnection c) {
        if (!walk) {
            try {
                return targets(c, c.exchange(IsnsPdu.DEV_ATTR_QRY, 0, IsnsMessages.queryTargets(me), IscsiError.ISNS_QUERY));
            } catch (IsnsStatusException e) {
                if (e.status() != IsnsStatusException.INTERNAL_ERROR) {
                    throw e;
                }
                LOG.info("{}: DevAttrQry of all targets answered {}; listing them one by one with DevGetNext", c.server(),
                        IsnsConnection.statusName(e.status()));
                walk = true;
            }
        }
        return walk(c);
    }

    /** DevGetNext over the target nodes, then each one's portal groups. */
    public List<DiscoveredTarget> walk(IsnsConnection c) {
        Set<String> names = new LinkedHashSet<>();
        List<String> targets = new ArrayList<>();
        Optional<String> after = Optional.empty();
        while (true) {
            IsnsPdu r;
            try {
                r = c.exchange(IsnsPdu.DEV_GET_NEXT, 0, IsnsMessages.getNextTarget(me, after), IscsiError.ISNS_QUERY);
            } catch (IsnsStatusException e) {
                if (e.status() == IsnsStatusException.NO_SUCH_ENTRY) {
                    break; // after the last node
                }
                throw e;
            }
            String next;
            boolean target;
            try {
                next = IsnsMessages.nextNodeName(r.attributes());
                target = IsnsMessages.nextIsTarget(r.attributes());
            } catch (IsnsFormatException e) {
                throw new IscsiException(IscsiError.ISNS_QUERY, c.server() + ": DevGetNextRsp: " + e.getMessage(), e);
            }
            if (!names.add(next)) {
                throw new IscsiException(IscsiError.ISNS_QUERY, c.server() + ": DevGetNext after " + after.orElse("the start")
                        + " named " + next + " again, after " + names.size() + " node(s): the server's walk does not end");
            }
            if (names.size() > maxNodes) {
                throw new IscsiException(IscsiError.ISNS_QUERY, c.server() + ": DevGetNext named more than " + maxNodes
                        + " target nodes; stopped there");
            }
            if (target) {
                targets.add(next);
            }
            after = Optional.of(next);
        }
        List<DiscoveredTarget> found = new ArrayList<>();
        for (String name : targets) {
            found.addAll(portalsOf(c, name));
        }
        return found;
    }

    /** One target's portal groups; none when it went away since the walk named it. */
    private List<DiscoveredTarget> portalsOf(IsnsConnection c, String target) {
        try {
            return targets(c, c.exchange(IsnsPdu.DEV_ATTR_QRY, 0, IsnsMessages.queryTarget(me, target), IscsiError.ISNS_QUERY))
                    .stream().filter(t -> t.name().toString().equals(target)).toList();
        } catch (IsnsStatusException e) {
            if (e.status() == IsnsStatusException.NO_SUCH_ENTRY) {
                return List.of();
            }
            throw e;
        }
    }

    private static List<DiscoveredTarget> targets(IsnsConnection c, IsnsPdu r) {
        try {
            return IsnsMessages.targets(r.attributes());
        } catch (IsnsFormatException e) {
            throw new IscsiException(IscsiError.ISNS_QUERY, c.server() + ": DevAttrQryRsp: " + e.getMessage(), e);
        }
    }
}
