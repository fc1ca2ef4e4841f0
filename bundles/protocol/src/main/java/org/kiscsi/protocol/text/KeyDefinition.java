package org.kiscsi.protocol.text;

import java.util.List;

/**
 * What RFC 7143 section 13 says about one text key.
 *
 * @param name the key
 * @param merge how offer and answer combine
 * @param scope where the key applies
 * @param leadingOnly negotiated on the leading connection only (LO)
 * @param defaultValue the RFC default, or null when there is none
 * @param min lowest numeric value (numeric keys)
 * @param max highest numeric value (numeric keys)
 * @param values the values a list key allows (empty: any)
 */
public record KeyDefinition(String name, Merge merge, Scope scope, boolean leadingOnly, String defaultValue,
        long min, long max, List<String> values) {

    /** How an offer and its answer combine into the negotiated value. */
    public enum Merge {
        /** Yes only when both say Yes (ImmediateData). */
        AND,
        /** Yes when either says Yes (InitialR2T, DataPDUInOrder, DataSequenceInOrder). */
        OR,
        /** The smaller number (MaxBurstLength, FirstBurstLength, ...). */
        MIN,
        /** The larger number (DefaultTime2Wait). */
        MAX,
        /** The answer is the first value of the offered list the responder supports (HeaderDigest, AuthMethod). */
        LIST,
        /** Not negotiated: each side declares its own (MaxRecvDataSegmentLength, TargetAlias). */
        DECLARATIVE
    }

    /** RFC 7143's usage classes. */
    public enum Scope { SESSION, CONNECTION }

    public boolean isBoolean() {
        return merge == Merge.AND || merge == Merge.OR;
    }

    public boolean isNumeric() {
        return merge == Merge.MIN || merge == Merge.MAX || (merge == Merge.DECLARATIVE && max > 0);
    }

    public KeyDefinition {
        values = List.copyOf(values);
    }
}
