package org.kiscsi.spi.auth;

import java.util.Map;

/**
 * Drives the security negotiation of one login after the target chose this authenticator's
 * AuthMethod. The login state machine calls {@link #step} with the keys of each target response and
 * sends what it returns, until a step says it is finished; then the login may transit to the
 * operational stage.
 */
public interface Authenticator {
    /**
     * One step.
     *
     * @param targetKeys the keys of the target's last Login Response (the first call sees the
     *        response that carried the AuthMethod choice)
     * @return the keys for the next Login Request, and whether authentication is complete
     * @throws AuthenticationException when the target's answer is wrong or unacceptable; its message
     *         says which key and why, never a secret
     */
    AuthStep step(Map<String, String> targetKeys) throws AuthenticationException;
}
