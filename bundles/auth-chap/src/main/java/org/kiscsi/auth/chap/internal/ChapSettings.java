package org.kiscsi.auth.chap.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.kiscsi.spi.auth.AuthRequest;
import org.kiscsi.spi.auth.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One login's CHAP set-up, checked: names, secrets (copies this object wipes), the algorithms to
 * offer. Refuses what cannot be safe (no secret, the same secret both ways) and, in strict mode,
 * what is weak (secrets shorter than {@link #MIN_SECRET} bytes); otherwise weak set-ups are warned about.
 */
public final class ChapSettings {
    private static final Logger LOG = LoggerFactory.getLogger(ChapSettings.class);
    /** RFC 7143 section 12.1.3 asks for secrets of at least 96 bits. */
    public static final int MIN_SECRET = 12;

    private final String where;
    private final String username;
    private final byte[] secret;
    private final String usernameIn;
    private final byte[] secretIn;
    private final List<ChapAlgorithm> algorithms;

    private ChapSettings(String where, String username, byte[] secret, String usernameIn, byte[] secretIn,
            List<ChapAlgorithm> algorithms) {
        this.where = where;
        this.username = username;
        this.secret = secret;
        this.usernameIn = usernameIn;
        this.secretIn = secretIn;
        this.algorithms = algorithms;
    }

    /**
     * Checks a request.
     *
     * @param warn whether weak secrets are logged (once per login attempt, not per call)
     */
    public static ChapSettings of(AuthRequest request, boolean warn) throws AuthenticationException {
        String where = "login to " + request.where() + ": CHAP";
        List<ChapAlgorithm> algs = new ArrayList<>();
        for (String name : request.algorithms()) {
            if (!name.isBlank()) {
                ChapAlgorithm a = ChapAlgorithm.ofRecordName(name);
                if (!algs.contains(a)) {
                    algs.add(a);
                }
            }
        }
        if (algs.isEmpty()) {
            algs.add(ChapAlgorithm.MD5); // open-iscsi's default
        }
        var c = request.credentials();
        byte[] secret = c.secret();
        byte[] secretIn = c.mutual() ? c.secretIn() : null;
        ChapSettings s = new ChapSettings(where, c.username() == null ? "" : c.username(), secret == null ? new byte[0] : secret,
                c.mutual() ? c.usernameIn().orElseThrow() : null, secretIn, List.copyOf(algs));
        try {
            s.check(request.strict(), warn);
        } catch (AuthenticationException e) {
            s.wipe();
            throw e;
        }
        return s;
    }

    private void check(boolean strict, boolean warn) throws AuthenticationException {
        if (username.isEmpty()) {
            throw refused("node.session.auth.username is empty; CHAP needs the name the target knows this initiator by");
        }
        if (secret.length == 0) {
            throw refused("node.session.auth.password is empty");
        }
        if (secretIn != null && Arrays.equals(secret, secretIn)) {
            throw refused("node.session.auth.password and password_in are the same secret; mutual CHAP needs "
                    + "one secret per direction (a shared one lets a target reflect our challenge)");
        }
        weak("node.session.auth.password", secret, strict, warn);
        if (secretIn != null) {
            weak("node.session.auth.password_in", secretIn, strict, warn);
        }
    }

    private void weak(String key, byte[] s, boolean strict, boolean warn) throws AuthenticationException {
        if (s.length >= MIN_SECRET) {
            return;
        }
        if (strict) {
            throw refused(key + " is shorter than " + MIN_SECRET + " bytes (refused: node.session.auth.strict = Yes)");
        }
        if (warn) {
            LOG.warn("{}: {} is shorter than {} bytes, which RFC 7143 advises against (node.session.auth.strict = Yes "
                    + "refuses it)", where, key, MIN_SECRET);
        }
    }

    AuthenticationException refused(String rule) {
        return new AuthenticationException(where + ": " + rule);
    }

    String username() {
        return username;
    }

    byte[] secret() {
        return secret;
    }

    boolean mutual() {
        return secretIn != null;
    }

    String usernameIn() {
        return usernameIn;
    }

    byte[] secretIn() {
        return secretIn;
    }

    List<ChapAlgorithm> algorithms() {
        return algorithms;
    }

    String where() {
        return where;
    }

    /** Overwrites the secrets copied for this login. */
    public void wipe() {
        Arrays.fill(secret, (byte) 0);
        if (secretIn != null) {
            Arrays.fill(secretIn, (byte) 0);
        }
    }
}
