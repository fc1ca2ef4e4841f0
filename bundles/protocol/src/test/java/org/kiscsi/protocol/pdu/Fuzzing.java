package org.kiscsi.protocol.pdu;

/** What every fuzz target asks of a parser's refusal. */
public final class Fuzzing {
    private Fuzzing() {
    }

    /** A refusal must say what was wrong: a message that is there and not blank. */
    public static void clearMessage(Exception e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("refusal without a message", e);
        }
    }
}
