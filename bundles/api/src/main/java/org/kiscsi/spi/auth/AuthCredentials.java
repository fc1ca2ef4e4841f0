package org.kiscsi.spi.auth;

import java.util.Arrays;
import java.util.Optional;

/**
 * Credentials for one login. Secrets are byte arrays the holder may wipe; {@link #toString()} never
 * prints them. The accessors return copies: a caller wipes its copy when done with it.
 */
public final class AuthCredentials {
    private final String username;
    private final byte[] secret;
    private final String usernameIn;
    private final byte[] secretIn;

    /**
     * @param username CHAP_N this initiator sends
     * @param secret secret shared with the target for that name
     * @param usernameIn name the target must send back (mutual CHAP), or null for one-way
     * @param secretIn secret the target must prove (mutual CHAP), or null for one-way
     */
    public AuthCredentials(String username, byte[] secret, String usernameIn, byte[] secretIn) {
        this.username = username;
        this.secret = secret == null ? null : secret.clone();
        this.usernameIn = usernameIn;
        this.secretIn = secretIn == null ? null : secretIn.clone();
    }

    public String username() {
        return username;
    }

    public byte[] secret() {
        return secret == null ? null : secret.clone();
    }

    /** Present when the target must authenticate itself too (mutual CHAP). */
    public Optional<String> usernameIn() {
        return Optional.ofNullable(usernameIn);
    }

    public byte[] secretIn() {
        return secretIn == null ? null : secretIn.clone();
    }

    public boolean mutual() {
        return usernameIn != null && secretIn != null;
    }

    /** Overwrites the secrets held here with zeros; the accessors return zeros from then on. */
    public void wipe() {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
        if (secretIn != null) {
            Arrays.fill(secretIn, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "AuthCredentials[username=" + username + ", mutual=" + mutual() + "]";
    }
}
