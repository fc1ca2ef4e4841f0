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
}
