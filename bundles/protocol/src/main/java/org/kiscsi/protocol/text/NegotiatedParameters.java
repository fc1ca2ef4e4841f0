package org.kiscsi.protocol.text;

import java.util.LinkedHashMap;
import java.util.Map;

import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;

/**
 * What a login negotiated: the values the data path works with. Separate from configuration (what
 * was offered) and from runtime state (sequence numbers).
 *
 * @param maxRecvDataSegmentLength the largest data segment this initiator receives (what it declared)
 * @param maxXmitDataSegmentLength the largest data segment it sends: the target's declared
 *        MaxRecvDataSegmentLength (8192 when the target declared none), capped by the record's
 *        MaxXmitDataSegmentLength when that is not 0
 */
public record NegotiatedParameters(boolean headerDigest, boolean dataDigest, int maxRecvDataSegmentLength,
        int maxXmitDataSegmentLength, boolean initialR2T, boolean immediateData, int maxBurstLength,
        int firstBurstLength, int defaultTime2Wait, int defaultTime2Retain, int maxOutstandingR2T,
        boolean dataPduInOrder, boolean dataSequenceInOrder, int errorRecoveryLevel, int maxConnections,
        String targetAlias, int targetPortalGroupTag) {

    /**
     * Builds the parameters from a finished negotiation: negotiated values where there are any, the
     * RFC default for every key that was not negotiated.
     *
     * @param maxXmitCap the record's MaxXmitDataSegmentLength (0: no cap)
     */
    public static NegotiatedParameters from(Negotiation n, int maxXmitCap, String where) {
        Map<String, String> r = n.results();
        Map<String, String> declared = n.declaredByTarget();
        int ourMrdsl = intOf(n.offers().stream().filter(kv -> kv.key().equals(TextKeys.MAX_RECV_DATA_SEGMENT_LENGTH))
                .map(KeyValue::value).findFirst().orElse("8192"), TextKeys.MAX_RECV_DATA_SEGMENT_LENGTH, where);
        int targetMrdsl = intOf(declared.getOrDefault(TextKeys.MAX_RECV_DATA_SEGMENT_LENGTH, "8192"),
                TextKeys.MAX_RECV_DATA_SEGMENT_LENGTH, where);
        if (targetMrdsl < 512 || targetMrdsl > 16_777_215) {
            throw new ProtocolException(Kind.NEGOTIATION, where + ": target declared MaxRecvDataSegmentLength=" + targetMrdsl
                    + ", outside 512..16777215");
        }
        int xmit = maxXmitCap > 0 ? Math.min(maxXmitCap, targetMrdsl) : targetMrdsl;
        boolean initialR2T = yes(value(r, TextKeys.INITIAL_R2T));
        boolean immediate = yes(value(r, TextKeys.IMMEDIATE_DATA));
        int maxBurst = intOf(value(r, TextKeys.MAX_BURST_LENGTH), TextKeys.MAX_BURST_LENGTH, where);
        int firstBurst = intOf(value(r, TextKeys.FIRST_BURST_LENGTH), TextKeys.FIRST_BURST_LENGTH, where);
        boolean firstBurstMatters = !initialR2T || immediate;
        if (firstBurstMatters && firstBurst > maxBurst) {
            throw new ProtocolException(Kind.NEGOTIATION, where + ": FirstBurstLength " + firstBurst
                    + " exceeds MaxBurstLength " + maxBurst);
        }
        int tpgt = declared.containsKey(TextKeys.TARGET_PORTAL_GROUP_TAG)
                ? intOf(declared.get(TextKeys.TARGET_PORTAL_GROUP_TAG), TextKeys.TARGET_PORTAL_GROUP_TAG, where) : -1;
        return new NegotiatedParameters(
                "CRC32C".equals(value(r, TextKeys.HEADER_DIGEST)),
                "CRC32C".equals(value(r, TextKeys.DATA_DIGEST)),
                ourMrdsl, xmit, initialR2T, immediate, maxBurst, Math.min(firstBurst, maxBurst),
                intOf(value(r, TextKeys.DEFAULT_TIME2WAIT), TextKeys.DEFAULT_TIME2WAIT, where),
                intOf(value(r, TextKeys.DEFAULT_TIME2RETAIN), TextKeys.DEFAULT_TIME2RETAIN, where),
                intOf(value(r, TextKeys.MAX_OUTSTANDING_R2T), TextKeys.MAX_OUTSTANDING_R2T, where),
                yes(value(r, TextKeys.DATA_PDU_IN_ORDER)),
                yes(value(r, TextKeys.DATA_SEQUENCE_IN_ORDER)),
                intOf(value(r, TextKeys.ERROR_RECOVERY_LEVEL), TextKeys.ERROR_RECOVERY_LEVEL, where),
                intOf(value(r, TextKeys.MAX_CONNECTIONS), TextKeys.MAX_CONNECTIONS, where),
                declared.getOrDefault(TextKeys.TARGET_ALIAS, ""), tpgt);
    }

    private static String value(Map<String, String> results, String key) {
        String v = results.get(key);
        return v != null ? v : TextKeys.definition(key).orElseThrow().defaultValue();
    }

    private static boolean yes(String v) {
        return "Yes".equals(v);
    }

    private static int intOf(String v, String key, String where) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ProtocolException(Kind.NEGOTIATION, where + ": " + key + "=" + v + " is not a number");
        }
    }

    /** Session-wide values by their RFC key names, for display ({@code iscsiadm -m session -P 2}). */
    public Map<String, String> sessionValues() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TextKeys.INITIAL_R2T, yn(initialR2T));
        m.put(TextKeys.IMMEDIATE_DATA, yn(immediateData));
        m.put(TextKeys.FIRST_BURST_LENGTH, Integer.toString(firstBurstLength));
        m.put(TextKeys.MAX_BURST_LENGTH, Integer.toString(maxBurstLength));
        m.put(TextKeys.MAX_OUTSTANDING_R2T, Integer.toString(maxOutstandingR2T));
        m.put(TextKeys.DEFAULT_TIME2WAIT, Integer.toString(defaultTime2Wait));
        m.put(TextKeys.DEFAULT_TIME2RETAIN, Integer.toString(defaultTime2Retain));
        m.put(TextKeys.DATA_PDU_IN_ORDER, yn(dataPduInOrder));
        m.put(TextKeys.DATA_SEQUENCE_IN_ORDER, yn(dataSequenceInOrder));
        m.put(TextKeys.ERROR_RECOVERY_LEVEL, Integer.toString(errorRecoveryLevel));
        m.put(TextKeys.MAX_CONNECTIONS, Integer.toString(maxConnections));
        return m;
    }

    /** Connection values by key name; the two data segment limits under iscsiadm's names. */
    public Map<String, String> connectionValues() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TextKeys.HEADER_DIGEST, headerDigest ? "CRC32C" : "None");
        m.put(TextKeys.DATA_DIGEST, dataDigest ? "CRC32C" : "None");
        m.put("MaxRecvDataSegmentLength", Integer.toString(maxRecvDataSegmentLength));
        m.put("MaxXmitDataSegmentLength", Integer.toString(maxXmitDataSegmentLength));
        return m;
    }

    private static String yn(boolean b) {
        return b ? "Yes" : "No";
    }
}
