package org.kiscsi.spi.transport;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.kiscsi.api.Portal;
import org.kiscsi.api.node.Secrets;

/**
 * What to connect to and how.
 *
 * <p>A transport moves PDUs and needs no credentials: {@link #iface()} holds only the iface
 * record's {@code iface.*} values, never a node or discovery key and never a secret (CHAP secrets
 * reach the authenticator only). The constructor drops every other entry, whoever builds the request.
 *
 * @param portal the target portal
 * @param localAddress source address to bind, from the iface record ({@code iface.ipaddress}), if any
 * @param connectTimeout how long the transport connection may take
 * @param iface the iface record's {@code iface.*} values (transport-specific settings), possibly
 *        empty; other keys and secrets given here are left out
 */
public record ConnectRequest(Portal portal, Optional<String> localAddress, Duration connectTimeout,
        Map<String, String> iface) {
    /** The prefix of the keys {@link #iface()} may hold. */
    public static final String IFACE_PREFIX = "iface.";

    public ConnectRequest {
        Objects.requireNonNull(portal, "portal");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        iface = ifaceValues(iface);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive: " + connectTimeout);
        }
    }

    public static ConnectRequest to(Portal portal, Duration connectTimeout) {
        return new ConnectRequest(portal, Optional.empty(), connectTimeout, Map.of());
    }

    /** The {@code iface.*} entries of {@code values} that are not secrets; a node record's values may be given. */
    public static Map<String, String> ifaceValues(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(IFACE_PREFIX) && !Secrets.isSecret(k)) {
                out.put(k, v);
            }
        });
        return Collections.unmodifiableMap(out);
    }
}
