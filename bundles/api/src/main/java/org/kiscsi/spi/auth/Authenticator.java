package org.kiscsi.spi.auth;

import org.osgi.annotation.versioning.ConsumerType;

import java.util.Map;
import java.util.Optional;

import org.kiscsi.api.IscsiException;

/**
 * Drives the security negotiation of one login after the target chose this authenticator's
 * AuthMethod. The login state machine calls {@link #step} with the keys of each target response of
 * the security stage, the transit response included, and sends what it returns; a step that is
 * finished lets the login transit to the operational stage. See the package documentation for the
 * whole contract.
 */
@ConsumerType
public interface Authenticator {
    /**
     * One step.
     *
     * @param targetKeys the keys of the target's last Login Response (the first call sees the
     *        response that carried the AuthMethod choice; the last one the response that transits)
     * @return the keys for the next Login Request, and whether authentication is complete from this
     *         side (on the transit response: finished, with no keys)
     * @throws AuthenticationException when the target's answer is wrong or unacceptable; its message
     *         says which key and rule, never a secret
     */
    AuthStep step(Map<String, String> targetKeys) throws AuthenticationException;

    /**
     * The login failed after this authenticator was created: by an exception of {@link #step}, or
     * because the target refused the login or closed the connection. Says what the failure means
     * and whether one more login with other algorithms is worth it. Called at most once.
     *
     * @param failure the error the login failed with
     * @return advice, or empty when there is nothing to add (the default)
     */
    default Optional<AuthAdvice> afterFailure(IscsiException failure) {
        return Optional.empty();
    }
}
