package org.kiscsi.testkit.target;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.kiscsi.protocol.text.KeyValue;

/**
 * The target's side of one login's CHAP exchange (RFC 7143 section 12.1.3, RFC 1994), fed the keys
 * of each security-stage request in turn: AuthMethod, then CHAP_A, then CHAP_N and CHAP_R (with
 * CHAP_I and CHAP_C when the initiator wants the target to prove itself too). Anything wrong ends
 * it in {@link Step#failed()}; the connection then answers 0x0201 (authentication failure).
 */
final class ChapExchange {
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { AUTH_METHOD, ALGORITHM, RESPONSE, DONE }

    /**
     * What to answer one request with.
     *
     * @param keys the keys to send back
     * @param failed the login fails (authentication failure)
     * @param why for a failure, what was wrong: for test diagnostics
     */
    record Step(List<KeyValue> keys, boolean failed, String why) {
        static Step failure(String why) {
            return new Step(List.of(), true, why);
        }
    }

    private final TargetChap chap;
    private final ChapAccount initiator;
    private final ChapAccount target; // null: the target cannot prove itself
    private State state = State.AUTH_METHOD;
    private ChapAlgorithm algorithm;
    private ChapChallenge ours;

    ChapExchange(TargetChap chap, ChapAccount initiator, ChapAccount target) {
        this.chap = chap;
        this.initiator = initiator;
        this.target = target;
    }

    /** Whether the initiator proved its identity (and was answered, if it asked the target to prove its own). */
    boolean authenticated() {
        return state == State.DONE;
    }

    Step receive(List<KeyValue> keys) {
        List<KeyValue> answer = new ArrayList<>();
        if (state == State.AUTH_METHOD) {
            String offered = value(keys, "AuthMethod");
            if (offered == null || !List.of(offered.split(",")).contains("CHAP")) {
                return Step.failure("CHAP required, AuthMethod offered: " + offered);
            }
            answer.add(new KeyValue("AuthMethod", "CHAP"));
            state = State.ALGORITHM;
            if (value(keys, "CHAP_A") == null) {
                return new Step(answer, false, null);
            }
        }
        return switch (state) {
            case ALGORITHM -> chooseAlgorithm(keys, answer);
            case RESPONSE -> checkResponse(keys);
            default -> new Step(answer, false, null); // DONE: nothing more to say before the stage ends
        };
    }

    /** The initiator's CHAP_A list: the first one the target supports, and the target's challenge. */
    private Step chooseAlgorithm(List<KeyValue> keys, List<KeyValue> answer) {
        String offered = value(keys, "CHAP_A");
        if (offered == null) {
            return Step.failure("no CHAP_A after AuthMethod=CHAP");
        }
        chap.algorithmsOffered.add(offered);
        String[] numbers = offered.split(",");
        if (chap.rejectAlgorithmList && numbers.length > 1) {
            return Step.failure("this target takes a single CHAP_A value, got " + offered);
        }
        List<Integer> supported = chap.supported();
        for (String n : numbers) {
            Optional<ChapAlgorithm> a = parse(n).filter(supported::contains).flatMap(x -> ChapAlgorithm.of(x, chap.tgtNumbering));
            if (a.isPresent()) {
                algorithm = a.get();
                ours = challenge(algorithm.length());
                answer.add(new KeyValue("CHAP_A", String.valueOf(algorithm.number())));
                answer.add(new KeyValue("CHAP_I", String.valueOf(ours.identifier())));
                answer.add(new KeyValue("CHAP_C", ChapBinary.hex(ours.challenge())));
                state = State.RESPONSE;
                return new Step(answer, false, null);
            }
        }
        return Step.failure("none of CHAP_A=" + offered + " is supported (" + supported + ")");
    }

    /** The target's CHAP_I and CHAP_C: random, unless a knob says otherwise. */
    private ChapChallenge challenge(int length) {
        byte[] fixed = chap.fixedChallenge;
        if (fixed != null) {
            return new ChapChallenge(RANDOM.nextInt(256), fixed.clone());
        }
        ChapChallenge reflected = chap.reflectChallenge ? chap.lastInitiatorChallenge() : null;
        if (reflected != null) {
            return reflected;
        }
        byte[] c = new byte[length];
        RANDOM.nextBytes(c);
        return new ChapChallenge(RANDOM.nextInt(256), c);
    }

    /** CHAP_N and CHAP_R from the initiator; the target's own CHAP_N and CHAP_R when it sent CHAP_I and CHAP_C. */
    private Step checkResponse(List<KeyValue> keys) {
        String name = value(keys, "CHAP_N");
        byte[] response = decode(value(keys, "CHAP_R"));
        if (name == null || response == null) {
            return Step.failure("CHAP_N and CHAP_R (0x or 0b) expected, got " + keys);
        }
        if (!name.equals(initiator.user())) {
            return Step.failure("CHAP_N " + name + " is not " + initiator.user());
        }
        if (!MessageDigest.isEqual(response, algorithm.response(ours.identifier(), initiator.secret(), ours.challenge()))) {
            return Step.failure("wrong CHAP_R for " + algorithm.digest());
        }
        String theirId = value(keys, "CHAP_I");
        String theirChallenge = value(keys, "CHAP_C");
        if (theirId == null && theirChallenge == null) {
            state = State.DONE;
            return new Step(List.of(), false, null);
        }
        Optional<Integer> id = theirId == null ? Optional.empty() : parse(theirId).filter(i -> i >= 0 && i <= 255);
        byte[] c = decode(theirChallenge);
        if (id.isEmpty() || c == null) {
            return Step.failure("mutual CHAP needs CHAP_I (0-255) and CHAP_C (0x or 0b), got " + keys);
        }
        chap.initiatorChallenged(id.get(), c);
        if (target == null) {
            return Step.failure("the initiator asked the target to prove itself, and it has no account for that");
        }
        state = State.DONE;
        if (chap.skipMutualAnswer) {
            return new Step(List.of(), false, null);
        }
        byte[] ours = algorithm.response(id.get(), target.secret(), c);
        if (chap.wrongTargetResponse) {
            ours[0] ^= 0x01;
        }
        String ourName = chap.wrongTargetName != null ? chap.wrongTargetName : target.user();
        return new Step(List.of(new KeyValue("CHAP_N", ourName), new KeyValue("CHAP_R", ChapBinary.hex(ours))), false, null);
    }

    private static byte[] decode(String value) {
        return value == null ? null : ChapBinary.decode(value);
    }

    /** A number in decimal, or in hex with {@code 0x} (RFC 7143 section 6.1). */
    private static Optional<Integer> parse(String number) {
        String n = number.trim();
        try {
            boolean hex = n.startsWith("0x") || n.startsWith("0X");
            return Optional.of(hex ? Integer.parseInt(n.substring(2), 16) : Integer.parseInt(n));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String value(List<KeyValue> keys, String key) {
        for (KeyValue kv : keys) {
            if (kv.key().equals(key)) {
                return kv.value();
            }
        }
        return null;
    }
}
