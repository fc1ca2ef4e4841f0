package org.kiscsi.spi.discovery;

import java.util.List;

import org.kiscsi.api.IscsiException;

/**
 * Hears what a {@link DiscoveryWatch} finds. Calls come one at a time per watch, on a thread of the
 * discovery method's own (never an engine I/O thread); a listener should hand lengthy work (store
 * writes, logins) to an executor of its own, as the next change waits for it to return.
 */
public interface DiscoveryListener {
    /**
     * The targets seen changed. {@code added} and {@code removed} hold target portals (a target with
     * the portals that came or went); {@code now} is everything currently seen. The first call after
     * the watch opens reports everything as added.
     */
    void changed(List<DiscoveredTarget> added, List<DiscoveredTarget> removed, List<DiscoveredTarget> now);

    /**
     * The server could not be reached or answered wrongly; the watch keeps trying on its own and
     * reports again once it succeeds. Targets are not reported removed because of a failure.
     */
    void failed(IscsiException cause);
}
