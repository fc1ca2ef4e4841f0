package org.kiscsi.testkit.target;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The CHAP side of the test target: the accounts it requires and proves itself with (separately
 * for normal and discovery sessions), the knobs that make it misbehave, and what it saw. Set
 * through {@link TestTarget}; read by each login's {@link ChapExchange}.
 */
final class TargetChap {
    volatile ChapAccount normalInitiator;
    volatile ChapAccount normalTarget;
    volatile ChapAccount discoveryInitiator;
    volatile ChapAccount discoveryTarget;

    /** Null: {@link ChapAlgorithm#STANDARD}, or {@link ChapAlgorithm#TGT} with tgt's numbering. */
    volatile List<Integer> algorithms;
    volatile boolean tgtNumbering;
    volatile boolean rejectAlgorithmList;
    volatile byte[] fixedChallenge;
    volatile boolean reflectChallenge;
    volatile boolean skipMutualAnswer;
    volatile String wrongTargetName;
    volatile boolean wrongTargetResponse;

    final List<String> algorithmsOffered = new CopyOnWriteArrayList<>();
    final List<byte[]> initiatorChallenges = new CopyOnWriteArrayList<>();
    /** Why each failed CHAP login failed, in order. */
    final List<String> failures = new CopyOnWriteArrayList<>();

    /** The account an initiator must prove for this session type, or null when CHAP is not required. */
    ChapAccount initiatorAccount(boolean discovery) {
        return discovery ? discoveryInitiator : normalInitiator;
    }

    /** The account the target proves itself with for this session type (mutual CHAP), or null. */
    ChapAccount targetAccount(boolean discovery) {
        return discovery ? discoveryTarget : normalTarget;
    }

    List<Integer> supported() {
        List<Integer> a = algorithms;
        return a != null ? a : tgtNumbering ? ChapAlgorithm.TGT : ChapAlgorithm.STANDARD;
    }

    /** The CHAP_I that came with the last of {@link #initiatorChallenges}: what the reflect knob sends with it. */
    volatile int lastInitiatorIdentifier;

    /** Records an initiator's CHAP_I and CHAP_C (mutual CHAP). */
    synchronized void initiatorChallenged(int identifier, byte[] challenge) {
        lastInitiatorIdentifier = identifier;
        initiatorChallenges.add(challenge.clone());
    }

    /** The CHAP_I and CHAP_C the reflect knob sends: the initiator's last ones; null when none yet. */
    synchronized ChapChallenge lastInitiatorChallenge() {
        List<byte[]> seen = List.copyOf(initiatorChallenges);
        return seen.isEmpty() ? null : new ChapChallenge(lastInitiatorIdentifier, seen.get(seen.size() - 1).clone());
    }
}
