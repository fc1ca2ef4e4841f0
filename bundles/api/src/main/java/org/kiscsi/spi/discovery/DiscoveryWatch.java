package org.kiscsi.spi.discovery;

import java.util.List;

/**
 * A subscription to a discovery server's changes, opened by
 * {@link DiscoveryProvider#watch(org.kiscsi.api.node.DiscoveryRecord, DiscoveryContext, DiscoveryListener)}
 * and closed by its owner (closing unregisters from the server; it returns without waiting for the
 * network longer than the context's timeout).
 */
public interface DiscoveryWatch extends AutoCloseable {
    /** What the watch sees now (empty until the first answer). */
    List<DiscoveredTarget> current();

    @Override
    void close();
}
