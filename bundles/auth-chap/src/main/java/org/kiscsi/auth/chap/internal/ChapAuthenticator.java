package org.kiscsi.auth.chap.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.auth.AuthAdvice;
import org.kiscsi.spi.auth.AuthStep;
import org.kiscsi.spi.auth.AuthenticationException;
import org.kiscsi.spi.auth.Authenticator;

/**
 * The initiator's side of one CHAP exchange (RFC 7143 section 12.1.3):
 * <pre>
 *   I: CHAP_A=&lt;list&gt;              T: CHAP_A=&lt;one&gt;, CHAP_I, CHAP_C
 *   I: CHAP_N, CHAP_R [, CHAP_I, CHAP_C]   (T=1)
 *   T: [CHAP_N, CHAP_R]  (T=1)              mutual: verified here
 * </pre>
 */
public final class ChapAuthenticator implements Authenticator {
    /** Where the exchange is. */
    enum Phase {
        START, AWAIT_CHALLENGE, RESPONDED, AWAIT_TARGET_PROOF, DONE, FAILED
    }

    private final ChapSettings settings;
    private final SecureRandom random;
    private final ChallengeRegistry challenges;
    private Phase phase = Phase.START;
    /** The phase a target refusal or our own refusal happened in. */
    private Phase failedIn;
    private boolean listRejected;
    private ChapAlgorithm chosen;
    private int ourIdentifier;
    private byte[] ourChallenge;

    public ChapAuthenticator(ChapSettings settings, SecureRandom random, ChallengeRegistry challenges) {
        this.settings = settings;
        this.random = random;
        this.challenges = challenges;
    }

    Phase phase() {
        return phase;
    }

    @Override
    public synchronized AuthStep step(Map<String, String> keys) throws AuthenticationException {
        return switch (phase) {
            case START -> {
                phase = Phase.AWAIT_CHALLENGE;
                yield AuthStep.send(Map.of("CHAP_A", numbers(settings.algorithms())));
            }
            case AWAIT_CHALLENGE -> answer(keys);
            case RESPONDED -> done(); // one-way: the target's transit response has nothing for us to check
            case AWAIT_TARGET_PROOF -> verifyTarget(keys);
            case DONE -> AuthStep.finished(Map.of());
            case FAILED -> throw new IllegalStateException(settings.where() + ": step after a failure");
        };
    }

    /** The target's CHAP_A, CHAP_I, CHAP_C: our response, and our challenge for mutual CHAP. */
    private AuthStep answer(Map<String, String> keys) throws AuthenticationException {
        String a = keys.get("CHAP_A");
        if (a == null) {
            throw fail("the target answered CHAP_A=" + numbers(settings.algorithms()) + " without choosing an algorithm");
        }
        if (a.equals("Reject") || a.equals("Irrelevant") || a.equals("NotUnderstood")) {
            listRejected = true;
            throw fail("the target answered CHAP_A=" + ChapValues.quoted(a) + " to CHAP_A=" + numbers(settings.algorithms())
                    + " (offered " + names(settings.algorithms()) + ")");
        }
        ChapAlgorithm alg = null;
        try {
            alg = ChapAlgorithm.ofNumber(Integer.parseInt(a.trim()));
        } catch (NumberFormatException e) {
            // named below
        }
        if (alg == null || !settings.algorithms().contains(alg)) {
            throw fail("the target chose CHAP_A=" + ChapValues.quoted(a) + ", which the initiator did not offer (CHAP_A="
                    + numbers(settings.algorithms()) + ")");
        }
        chosen = alg;
        int identifier = ChapValues.octet("CHAP_I", keys.get("CHAP_I"));
        byte[] challenge = binary("CHAP_C", keys.get("CHAP_C"));
        if (challenges.contains(challenge)) {
            throw fail("refused a reflected challenge: the target's CHAP_C is a challenge this initiator sent");
        }
        Map<String, String> send = new LinkedHashMap<>();
        send.put("CHAP_N", settings.username());
        send.put("CHAP_R", ChapValues.hex(alg.response(identifier, settings.secret(), challenge)));
        if (!settings.mutual()) {
            phase = Phase.RESPONDED;
            settings.wipe();
            return AuthStep.finished(send);
        }
        ourIdentifier = random.nextInt(256);
        do {
            ourChallenge = new byte[Math.max(16, alg.length())]; // at least the digest's length
            random.nextBytes(ourChallenge);
        } while (Arrays.equals(ourChallenge, challenge));
        challenges.add(ourChallenge);
        send.put("CHAP_I", Integer.toString(ourIdentifier));
        send.put("CHAP_C", ChapValues.hex(ourChallenge));
        phase = Phase.AWAIT_TARGET_PROOF;
        return AuthStep.finished(send);
    }

    /** Mutual CHAP: the target's CHAP_N and CHAP_R for our challenge. */
    private AuthStep verifyTarget(Map<String, String> keys) throws AuthenticationException {
        String r = keys.get("CHAP_R");
        String n = keys.get("CHAP_N");
        if (r == null) {
            throw fail("the target moved on without answering the challenge sent for mutual authentication (no CHAP_R)");
        }
        if (!settings.usernameIn().equals(n)) {
            throw fail("the target sent CHAP_N=" + ChapValues.quoted(n) + ", not node.session.auth.username_in (" + settings.usernameIn() + ")");
        }
        byte[] response = binary("CHAP_R", r);
        byte[] expected = chosen.response(ourIdentifier, settings.secretIn(), ourChallenge);
        if (!MessageDigest.isEqual(expected, response)) {
            throw fail("the target's CHAP_R is wrong: it does not know node.session.auth.password_in");
        }
        return done();
    }

    private AuthStep done() {
        phase = Phase.DONE;
        forget();
        return AuthStep.finished(Map.of());
    }

    private byte[] binary(String key, String value) throws AuthenticationException {
        try {
            return ChapValues.binary(key, value);
        } catch (AuthenticationException e) {
            throw fail(e.getMessage());
        }
    }

    private AuthenticationException fail(String rule) {
        failedIn = phase;
        phase = Phase.FAILED;
        forget();
        return settings.refused(rule);
    }

    private void forget() {
        settings.wipe();
        if (ourChallenge != null) {
            challenges.remove(ourChallenge);
        }
    }

    /**
     * A target that refuses our algorithm list, or our non-MD5 response, gets MD5 alone once, when
     * the record allows MD5; otherwise the failure is explained.
     */
    @Override
    public synchronized Optional<AuthAdvice> afterFailure(IscsiException failure) {
        Phase at = phase == Phase.FAILED ? failedIn : phase;
        boolean ours = phase == Phase.FAILED;
        forget();
        List<ChapAlgorithm> offered = settings.algorithms();
        boolean md5Allowed = offered.contains(ChapAlgorithm.MD5);
        boolean targetRefused = !ours && (failure.error() == IscsiError.LOGIN_AUTH_FAILED
                || failure.error() == IscsiError.FATAL_LOGIN);
        boolean md5Only = offered.equals(List.of(ChapAlgorithm.MD5));
        if (listRejected || (at == Phase.AWAIT_CHALLENGE && targetRefused && !md5Only)) {
            String what = "the target refused CHAP_A=" + numbers(offered) + " (" + names(offered) + ")";
            if (md5Allowed && offered.size() > 1) {
                return Optional.of(AuthAdvice.retryWith(List.of(ChapAlgorithm.MD5.recordName()), what));
            }
            return Optional.of(AuthAdvice.explain(what + "; most targets know MD5 (node.session.auth.chap_algs)"));
        }
        // tgt answers a response of the wrong length (SHA-256 where it expects SHA-1) with 0x0200, not 0x0201
        if ((at == Phase.RESPONDED || at == Phase.AWAIT_TARGET_PROOF) && targetRefused) {
            if (chosen == ChapAlgorithm.MD5) {
                return Optional.of(AuthAdvice.explain("the target refused the MD5 response of CHAP_N=" + settings.username()
                        + ": that name or its secret (node.session.auth.password) is not what the target has"));
            }
            String what = "the target refused the " + chosen.recordName() + " response (CHAP_A=" + chosen.number() + ")"
                    + (chosen.number() == 7 ? "; tgt and IET read CHAP_A=7 as SHA-1, not SHA-256" : "")
                    + ", or the name or secret is wrong";
            if (md5Allowed) {
                return Optional.of(AuthAdvice.retryWith(List.of(ChapAlgorithm.MD5.recordName()), what));
            }
            return Optional.of(AuthAdvice.explain(what + "; adding MD5 to node.session.auth.chap_algs lets kiscsi try MD5"));
        }
        return Optional.empty();
    }

    private static String numbers(List<ChapAlgorithm> algs) {
        return algs.stream().map(a -> Integer.toString(a.number())).collect(Collectors.joining(","));
    }

    private static String names(List<ChapAlgorithm> algs) {
        return algs.stream().map(ChapAlgorithm::recordName).collect(Collectors.joining(","));
    }
}
