package org.kiscsi.spi.discovery;

import java.util.List;
import java.util.Objects;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;

/** A target a discovery found, with the portals (and their TPGTs) it is reachable at. */
public record DiscoveredTarget(IscsiName name, List<Portal> portals) {
    public DiscoveredTarget {
        Objects.requireNonNull(name, "name");
        portals = List.copyOf(portals);
    }
}
