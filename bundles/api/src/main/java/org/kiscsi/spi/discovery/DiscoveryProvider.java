package org.kiscsi.spi.discovery;

import org.osgi.annotation.versioning.ConsumerType;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;

/**
 * A discovery method. Registered as an OSGi service with {@value #TYPE_PROPERTY} set to the
 * {@link DiscoveryType#recordName()} it serves.
 */
@ConsumerType
public interface DiscoveryProvider {
    String TYPE_PROPERTY = "kiscsi.discovery";

    DiscoveryType type();

    /**
     * Asks the record's portal or server which targets it knows. Completes exceptionally with an
     * {@link org.kiscsi.api.IscsiException} naming the portal when it cannot.
     */
    CompletionStage<List<DiscoveredTarget>> discover(DiscoveryRecord record, DiscoveryContext context);

    /**
     * Whether {@link #watch} is supported: a method whose server tells of changes (iSNS state-change
     * notifications). Methods without it (SendTargets) are polled through {@link #discover}.
     */
    default boolean canWatch() {
        return false;
    }

    /**
     * Subscribes to the record's server: the listener hears targets added and removed until the
     * returned watch is closed. Returns at once (the first answer comes through the listener); the
     * listener's threading is described in {@link DiscoveryListener}. Methods that cannot watch
     * throw an {@link org.kiscsi.api.IscsiException} ({@code OP_NOT_SUPP}) saying to poll instead.
     */
    default DiscoveryWatch watch(DiscoveryRecord record, DiscoveryContext context, DiscoveryListener listener) {
        throw new org.kiscsi.api.IscsiException(org.kiscsi.api.IscsiError.OP_NOT_SUPP,
                type() + " discovery has no subscription; poll it with discover()");
    }
}
