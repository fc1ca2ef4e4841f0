package org.kiscsi.protocol.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;
import org.kiscsi.protocol.text.KeyDefinition.Merge;

/**
 * The initiator's side of one key negotiation (login operational stage or a text exchange), by
 * RFC 7143 section 6: it offers keys, checks each answer against the merge rule of the key, answers
 * keys the target offers, and keeps the outcome. Declarations the target makes (TargetAlias, its
 * MaxRecvDataSegmentLength, ...) are kept apart from negotiated values.
 *
 * <p>Keys beyond the catalogue of {@link TextKeys} (a transport's own, such as iSER's) take part when
 * their definitions are given; every key offered must have a definition, so that an answer is always
 * read by its key's rule and never taken for this side's offer.
 */
public final class Negotiation {
    private final Map<String, String> offers;
    private final Map<String, String> ownValues;
    private final Map<String, KeyDefinition> extensions = new LinkedHashMap<>();
    private final Map<String, String> results = new LinkedHashMap<>();
    /** Offered keys the target answered (a key answered NotUnderstood may have no result). */
    private final Set<String> answered = new HashSet<>();
    private final Map<String, String> declaredByTarget = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final String where;

    /**
     * @param offers keys this side offers, in the order they are sent
     * @param ownValues what this side would answer to keys the target offers but this side did not
     *        (usually the same as offers); keys absent here are answered with the RFC default
     * @param where the peer, for messages
     */
    public Negotiation(Map<String, String> offers, Map<String, String> ownValues, String where) {
        this(offers, ownValues, where, List.of());
    }

    /**
     * @param extensions definitions of keys beyond the catalogue this side may offer or be offered;
     *        none may redefine a catalogue key
     * @throws IllegalArgumentException for an offered key without a definition, or an extension
     *         redefining a catalogue key
     */
    public Negotiation(Map<String, String> offers, Map<String, String> ownValues, String where,
            List<KeyDefinition> extensions) {
        for (KeyDefinition d : extensions) {
            if (TextKeys.definition(d.name()).isPresent() || TextKeys.isObsolete(d.name())) {
                throw new IllegalArgumentException(d.name() + " is a key of RFC 7143 and cannot be redefined");
            }
            if (this.extensions.put(d.name(), d) != null) {
                throw new IllegalArgumentException(d.name() + " is defined twice");
            }
        }
        for (String k : offers.keySet()) {
            if (definition(k).isEmpty()) {
                throw new IllegalArgumentException("cannot offer " + k + ": no definition says how it is negotiated");
            }
        }
        this.offers = new LinkedHashMap<>(offers);
        this.ownValues = new LinkedHashMap<>(ownValues);
        this.where = where;
    }

    private Optional<KeyDefinition> definition(String key) {
        Optional<KeyDefinition> d = TextKeys.definition(key);
        return d.isPresent() ? d : Optional.ofNullable(extensions.get(key));
    }

    /** The offers to send, in order. */
    public List<KeyValue> offers() {
        List<KeyValue> out = new ArrayList<>();
        offers.forEach((k, v) -> out.add(new KeyValue(k, v)));
        return out;
    }

    /**
     * Takes the keys of one target response; returns the answers this side owes (to keys the target
     * offered), possibly none.
     */
    public List<KeyValue> receive(List<KeyValue> targetKeys) {
        List<KeyValue> answers = new ArrayList<>();
        for (KeyValue kv : targetKeys) {
            String key = kv.key();
            Optional<KeyDefinition> def = definition(key);
            if (offers.containsKey(key) && !answered.contains(key)) {
                answered.add(key);
                String result = checkAnswer(def.orElseThrow(), key, offers.get(key), kv.value());
                if (result != null) {
                    results.put(key, result);
                }
            } else if (def.isEmpty() || TextKeys.isObsolete(key)) {
                notes.add("target sent unknown key " + key);
                answers.add(new KeyValue(key, KeyValue.NOT_UNDERSTOOD));
            } else if (def.get().merge() == Merge.DECLARATIVE) {
                declaredByTarget.put(key, kv.value());
            } else {
                String answer = answerOffer(def.get(), kv.value());
                results.put(key, answer);
                answers.add(new KeyValue(key, answer));
            }
        }
        return answers;
    }

    /** Offered keys the target has not answered yet. */
    public List<String> unanswered() {
        List<String> out = new ArrayList<>();
        for (String k : offers.keySet()) {
            if (!answered.contains(k) && !isDeclarationOnly(k)) {
                out.add(k);
            }
        }
        return out;
    }

    private boolean isDeclarationOnly(String key) {
        return definition(key).map(d -> d.merge() == Merge.DECLARATIVE).orElse(false);
    }

    /** Negotiated values (answers to offers and to target offers), RFC defaults not filled in. */
    public Map<String, String> results() {
        return java.util.Collections.unmodifiableMap(results);
    }

    /** What the target declared about itself (TargetAlias, TargetPortalGroupTag, MaxRecvDataSegmentLength, ...). */
    public Map<String, String> declaredByTarget() {
        return java.util.Collections.unmodifiableMap(declaredByTarget);
    }

    /** Things worth a debug line: unknown keys, NotUnderstood answers. */
    public List<String> notes() {
        return notes;
    }

    /** The negotiated value of an offered key, or null when the key has none (not understood, no default). */
    private String checkAnswer(KeyDefinition def, String key, String offered, String answer) {
        if (def.merge() == Merge.DECLARATIVE) {
            // a declarative key we sent (our MaxRecvDataSegmentLength) answered by the target's own declaration
            if (answer.equals(KeyValue.NOT_UNDERSTOOD)) {
                notes.add("target did not understand " + key);
            } else if (!answer.equals(KeyValue.IRRELEVANT) && !answer.equals(KeyValue.REJECT)) {
                declaredByTarget.put(key, answer);
            }
            return offered;
        }
        switch (answer) {
            case KeyValue.IRRELEVANT:
                return def.defaultValue();
            case KeyValue.NOT_UNDERSTOOD:
                notes.add("target did not understand " + key);
                return acceptableDefault(def, key, offered, answer);
            case KeyValue.REJECT:
                return acceptableDefault(def, key, offered, answer);
            default:
                break;
        }
        switch (def.merge()) {
            case MIN: {
                long v = number(def, answer);
                if (v > number(def, offered)) {
                    throw bad(key, offered, answer, "a MIN key's answer may not exceed the offer");
                }
                return answer.trim();
            }
            case MAX: {
                long v = number(def, answer);
                if (v < number(def, offered)) {
                    throw bad(key, offered, answer, "a MAX key's answer may not be below the offer");
                }
                return answer.trim();
            }
            case OR:
                bool(def, answer);
                if (offered.equals("Yes") && !answer.equals("Yes")) {
                    throw bad(key, offered, answer, "the result of an OR key must be Yes when Yes was offered");
                }
                return answer;
            case AND:
                bool(def, answer);
                if (offered.equals("No") && !answer.equals("No")) {
                    throw bad(key, offered, answer, "the result of an AND key must be No when No was offered");
                }
                return answer;
            case LIST:
                if (!Arrays.asList(offered.split(",")).contains(answer)) {
                    throw bad(key, offered, answer, "the answer must be one of the offered values");
                }
                return answer;
            default:
                throw new IllegalStateException(def.merge().toString());
        }
    }

    /**
     * After Reject/NotUnderstood the key keeps its default, which must be something this side offered;
     * a key beyond the catalogue without a default is simply not in use (null).
     */
    private String acceptableDefault(KeyDefinition def, String key, String offered, String answer) {
        String d = def.defaultValue();
        if (d == null && extensions.containsKey(key)) {
            return null;
        }
        boolean ok = switch (def.merge()) {
            case LIST -> Arrays.asList(offered.split(",")).contains(d);
            case OR -> !offered.equals("Yes") || "Yes".equals(d);
            case AND -> !offered.equals("No") || "No".equals(d);
            case MIN -> d != null && Long.parseLong(d) <= number(def, offered);
            case MAX -> d != null && Long.parseLong(d) >= number(def, offered);
            default -> true;
        };
        if (!ok || d == null) {
            throw bad(key, offered, answer, "its default " + d + " is not acceptable either");
        }
        return d;
    }

    /** This side's answer to a key the target offered. */
    private String answerOffer(KeyDefinition def, String targetValue) {
        String own = ownValues.getOrDefault(def.name(), def.defaultValue());
        switch (def.merge()) {
            case MIN:
            case MAX: {
                long t = numberOrReject(def, targetValue);
                if (t < 0) {
                    return KeyValue.REJECT;
                }
                long o = Long.parseLong(own);
                return Long.toString(def.merge() == Merge.MIN ? Math.min(t, o) : Math.max(t, o));
            }
            case OR:
                if (!targetValue.equals("Yes") && !targetValue.equals("No")) {
                    return KeyValue.REJECT;
                }
                return targetValue.equals("Yes") || own.equals("Yes") ? "Yes" : "No";
            case AND:
                if (!targetValue.equals("Yes") && !targetValue.equals("No")) {
                    return KeyValue.REJECT;
                }
                return targetValue.equals("Yes") && own.equals("Yes") ? "Yes" : "No";
            case LIST: {
                List<String> mine = Arrays.asList(own.split(","));
                for (String v : targetValue.split(",")) {
                    if (mine.contains(v)) {
                        return v;
                    }
                }
                return KeyValue.REJECT;
            }
            default:
                throw new IllegalStateException(def.merge().toString());
        }
    }

    private long number(KeyDefinition def, String value) {
        long v = numberOrReject(def, value);
        if (v < 0) {
            throw new ProtocolException(Kind.NEGOTIATION, where + ": " + def.name() + "=" + value
                    + " is not a number in " + def.min() + ".." + def.max());
        }
        return v;
    }

    private static long numberOrReject(KeyDefinition def, String value) {
        try {
            long v = Long.parseLong(value.trim());
            return v < def.min() || v > def.max() ? -1 : v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void bool(KeyDefinition def, String value) {
        if (!value.equals("Yes") && !value.equals("No")) {
            throw new ProtocolException(Kind.NEGOTIATION, where + ": " + def.name() + "=" + value + " is not Yes or No");
        }
    }

    private ProtocolException bad(String key, String offered, String answer, String rule) {
        return new ProtocolException(Kind.NEGOTIATION, where + ": offered " + key + "=" + offered + ", answered "
                + key + "=" + answer + ": " + rule);
    }
}
