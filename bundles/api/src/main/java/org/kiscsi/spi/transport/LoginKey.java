package org.kiscsi.spi.transport;

import java.util.Objects;

/**
 * A login key a transport adds to the operational stage (iSER's RDMAExtensions,
 * InitiatorRecvDataSegmentLength, MaxOutstandingUnexpectedPDUs), with its RFC 7143 negotiation rule.
 * The engine offers it, checks the target's answer by the rule, answers it when the target offers
 * it first, and hands the outcome back in {@link LinkSettings#loginKeys()}.
 *
 * <p>A key the target answers {@code NotUnderstood} or {@code Reject} takes its
 * {@code defaultValue} when the rule allows that value given the offer (RFC 7143 section 6.2);
 * otherwise the login fails saying so. Without a default the key is left out of the results (the
 * target does not use it). A key the catalogue of RFC 7143 already defines cannot be added.
 *
 * @param name the key
 * @param rule how offer and answer combine
 * @param offer the value offered: a value list for {@link Rule#LIST}, {@code Yes}/{@code No} for the
 *        boolean rules, a number within {@code min..max} for the numeric ones
 * @param defaultValue the key's default, or null when it has none
 * @param min lowest acceptable number (numeric rules, and numeric declarations)
 * @param max highest acceptable number (numeric rules, and numeric declarations; 0 otherwise)
 * @param scope where the key is negotiated and its outcome holds
 */
public record LoginKey(String name, Rule rule, String offer, String defaultValue, long min, long max, Scope scope) {
    /** Where a key is negotiated and for what (RFC 7143 section 6's "Use" and "Scope"). */
    public enum Scope {
        /** On every connection's login, for that connection (iSER's InitiatorRecvDataSegmentLength). */
        CONNECTION,
        /**
         * On the leading connection's login only, for the whole session (LO, SW: iSER's
         * RDMAExtensions). A connection added to a session neither offers nor answers it; its
         * outcome is the leading connection's.
         */
        LEADING_SESSION
    }

    /** RFC 7143 section 5.2's ways of negotiating a key. */
    public enum Rule {
        /** The first value of the offered list the responder supports. */
        LIST,
        /** Boolean: Yes only when both say Yes. */
        AND,
        /** Boolean: Yes when either says Yes. */
        OR,
        /** Numerical: the smaller value. */
        MIN,
        /** Numerical: the larger value. */
        MAX,
        /** Not negotiated: each side declares its own value. */
        DECLARATIVE
    }

    /** A key of {@link Scope#CONNECTION} scope. */
    public LoginKey(String name, Rule rule, String offer, String defaultValue, long min, long max) {
        this(name, rule, offer, defaultValue, min, max, Scope.CONNECTION);
    }

    public LoginKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(offer, "offer");
        if (name.isEmpty() || name.length() > 63 || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || ".-+@_".indexOf(c) >= 0)) {
            throw new IllegalArgumentException("not a key name (RFC 7143 section 6.1): " + name);
        }
        if ((rule == Rule.AND || rule == Rule.OR) && !offer.equals("Yes") && !offer.equals("No")) {
            throw new IllegalArgumentException(name + ": a boolean key offers Yes or No, not " + offer);
        }
        if (rule == Rule.MIN || rule == Rule.MAX) {
            long v;
            try {
                v = Long.parseLong(offer);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": a numerical key offers a number, not " + offer);
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + ": offer " + v + " outside " + min + ".." + max);
            }
        }
    }

    public static LoginKey list(String name, String defaultValue, String offer) {
        return new LoginKey(name, Rule.LIST, offer, defaultValue, 0, 0);
    }

    public static LoginKey and(String name, String defaultValue, boolean offer) {
        return new LoginKey(name, Rule.AND, offer ? "Yes" : "No", defaultValue, 0, 0);
    }

    public static LoginKey or(String name, String defaultValue, boolean offer) {
        return new LoginKey(name, Rule.OR, offer ? "Yes" : "No", defaultValue, 0, 0);
    }

    public static LoginKey min(String name, long defaultValue, long min, long max, long offer) {
        return new LoginKey(name, Rule.MIN, Long.toString(offer), Long.toString(defaultValue), min, max);
    }

    public static LoginKey max(String name, long defaultValue, long min, long max, long offer) {
        return new LoginKey(name, Rule.MAX, Long.toString(offer), Long.toString(defaultValue), min, max);
    }

    /** This key, negotiated on the leading connection only and holding for the session. */
    public LoginKey leadingOnly() {
        return new LoginKey(name, rule, offer, defaultValue, min, max, Scope.LEADING_SESSION);
    }

    /** A declaration of this side's own value; the target's declaration of the same key is read back. */
    public static LoginKey declare(String name, String value) {
        return new LoginKey(name, Rule.DECLARATIVE, value, null, 0, 0);
    }
}
