package org.kiscsi.spi.auth;

import java.util.List;
import java.util.Objects;

/**
 * What an authenticator makes of a failed login ({@link Authenticator#afterFailure}).
 *
 * @param explanation what the failure probably means (e.g. an algorithm the target numbers
 *        differently), added to the login's error; never a secret
 * @param retryAlgorithms when not empty, the algorithm list one more login should offer; the engine
 *        makes at most one such login
 */
public record AuthAdvice(String explanation, List<String> retryAlgorithms) {
    public AuthAdvice {
        Objects.requireNonNull(explanation, "explanation");
        retryAlgorithms = List.copyOf(retryAlgorithms);
    }

    /** An explanation only: no second login. */
    public static AuthAdvice explain(String explanation) {
        return new AuthAdvice(explanation, List.of());
    }

    /** One more login offering {@code algorithms}, for the reason given. */
    public static AuthAdvice retryWith(List<String> algorithms, String explanation) {
        return new AuthAdvice(explanation, algorithms);
    }

    public boolean retries() {
        return !retryAlgorithms.isEmpty();
    }
}
