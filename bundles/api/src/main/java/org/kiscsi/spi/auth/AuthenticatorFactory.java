package org.kiscsi.spi.auth;

import org.osgi.annotation.versioning.ConsumerType;

import java.util.List;

/**
 * Makes authenticators for one AuthMethod, and decides what a login offers when a record names that
 * AuthMethod. Registered as an OSGi service with {@value #METHOD_PROPERTY} set to {@link #authMethod()}.
 * See the package documentation for when the engine calls what.
 */
@ConsumerType
public interface AuthenticatorFactory {
    /** Service property carrying {@link #authMethod()}. */
    String METHOD_PROPERTY = "kiscsi.auth";

    /** The AuthMethod value this factory handles ({@code CHAP}, ...), as written in login text. */
    String authMethod();

    /** A fresh authenticator for one login. */
    Authenticator create(AuthRequest request);

    /**
     * The AuthMethod list the first Login Request offers, most preferred first, for a record that
     * names this factory's AuthMethod. Called before any connection is made, once per login attempt.
     * The default offers this AuthMethod and lets the target choose {@code None}, except with mutual
     * credentials (the target must prove itself, so it may not skip authentication).
     *
     * @throws AuthenticationException when the request cannot lead to a login (missing or unusable
     *         credentials, a weak set-up in strict mode); the login then fails without connecting
     */
    default List<String> authMethodsOffered(AuthRequest request) throws AuthenticationException {
        return request.credentials().mutual() ? List.of(authMethod()) : List.of(authMethod(), "None");
    }
}
