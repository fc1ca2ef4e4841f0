package org.kiscsi.spi.auth;

/**
 * Makes authenticators for one AuthMethod. Registered as an OSGi service with
 * {@value #METHOD_PROPERTY} set to {@link #authMethod()}.
 */
public interface AuthenticatorFactory {
    /** Service property carrying {@link #authMethod()}. */
    String METHOD_PROPERTY = "kiscsi.auth";

    /** The AuthMethod value this factory handles ({@code CHAP}, ...), as written in login text. */
    String authMethod();

    /** A fresh authenticator for one login. */
    Authenticator create(AuthRequest request);
}
