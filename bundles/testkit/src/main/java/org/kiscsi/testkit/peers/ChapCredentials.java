package org.kiscsi.testkit.peers;

import java.util.Objects;

/**
 * A CHAP name and secret. {@link #toString()} never shows the secret. Characters libiscsi's URL
 * syntax or tgtadm's command line cannot carry ({@code % @ / ? & :} and white space) are refused.
 */
public record ChapCredentials(String user, String secret) {
    private static final String FORBIDDEN = "%@/?&: \t\r\n";

    public ChapCredentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(secret, "secret");
        if (user.isEmpty() || secret.isEmpty()) {
            throw new IllegalArgumentException("CHAP user and secret must not be empty (user '" + user + "')");
        }
        for (char c : (user + secret).toCharArray()) {
            if (FORBIDDEN.indexOf(c) >= 0) {
                throw new IllegalArgumentException("CHAP user or secret of '" + user + "' contains a character libiscsi URLs cannot carry");
            }
        }
    }

    @Override
    public String toString() {
        return "ChapCredentials[user=" + user + ", secret=" + Command.MASK + "]";
    }
}
