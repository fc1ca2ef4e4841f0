package org.kiscsi.spi.auth;

import java.util.Map;

/**
 * What an {@link Authenticator} step produced.
 *
 * @param send keys for the next Login Request, in order
 * @param finished whether the security negotiation is complete from this side
 */
public record AuthStep(Map<String, String> send, boolean finished) {
    public AuthStep {
        send = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(send));
    }

    public static AuthStep send(Map<String, String> keys) {
        return new AuthStep(keys, false);
    }

    public static AuthStep finished(Map<String, String> keys) {
        return new AuthStep(keys, true);
    }
}
