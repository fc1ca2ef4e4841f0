package org.kiscsi.spi.transport;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.kiscsi.api.Portal;

/**
 * What to connect to and how.
 *
 * @param portal the target portal
 * @param localAddress source address to bind, from the iface record ({@code iface.ipaddress}), if any
 * @param connectTimeout how long the transport connection may take
 * @param iface the iface record's values (transport-specific settings), possibly empty
 */
public record ConnectRequest(Portal portal, Optional<String> localAddress, Duration connectTimeout,
        Map<String, String> iface) {
    public ConnectRequest {
        Objects.requireNonNull(portal, "portal");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        iface = Map.copyOf(iface);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive: " + connectTimeout);
        }
    }

    public static ConnectRequest to(Portal portal, Duration connectTimeout) {
        return new ConnectRequest(portal, Optional.empty(), connectTimeout, Map.of());
    }
}
