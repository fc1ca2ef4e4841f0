package org.kiscsi.protocol.text;

import java.util.LinkedHashMap;
import java.util.Map;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordValues;

/**
 * What an initiator offers in the operational stage, from a node record (which carries the
 * iscsid.conf defaults it was created with). Values the record lacks take open-iscsi's shipped
 * defaults; DefaultTime2Wait (2) and DefaultTime2Retain (0) come from the record as open-iscsi's do.
 */
public final class SessionOffers {
    /** Discovery sessions' MaxRecvDataSegmentLength key in discovery records and iscsid.conf. */
    public static final String DISCOVERY_MRDSL = "discovery.sendtargets.iscsi.MaxRecvDataSegmentLength";

    private SessionOffers() {
    }

    /** Operational keys for a normal session, in the order they are sent. */
    public static Map<String, String> normal(RecordValues record) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TextKeys.HEADER_DIGEST, digest(record, NodeKeys.HEADER_DIGEST));
        m.put(TextKeys.DATA_DIGEST, digest(record, NodeKeys.DATA_DIGEST));
        m.put(TextKeys.DEFAULT_TIME2WAIT, Integer.toString(number(record, NodeKeys.DEFAULT_TIME2WAIT, 2, 0, 3600)));
        m.put(TextKeys.DEFAULT_TIME2RETAIN, Integer.toString(number(record, NodeKeys.DEFAULT_TIME2RETAIN, 0, 0, 3600)));
        m.put(TextKeys.ERROR_RECOVERY_LEVEL, "0");
        m.put(TextKeys.INITIAL_R2T, yesNo(record, NodeKeys.INITIAL_R2T, false));
        m.put(TextKeys.IMMEDIATE_DATA, yesNo(record, NodeKeys.IMMEDIATE_DATA, true));
        int maxBurst = number(record, NodeKeys.MAX_BURST_LENGTH, 16_776_192, 512, 16_777_215);
        m.put(TextKeys.MAX_BURST_LENGTH, Integer.toString(maxBurst));
        // FirstBurstLength may not exceed MaxBurstLength (RFC 7143 section 13.14)
        m.put(TextKeys.FIRST_BURST_LENGTH,
                Integer.toString(Math.min(maxBurst, number(record, NodeKeys.FIRST_BURST_LENGTH, 262_144, 512, 16_777_215))));
        m.put(TextKeys.MAX_OUTSTANDING_R2T, "1");
        m.put(TextKeys.MAX_CONNECTIONS, "1");
        m.put(TextKeys.DATA_PDU_IN_ORDER, "Yes");
        m.put(TextKeys.DATA_SEQUENCE_IN_ORDER, "Yes");
        m.put(TextKeys.MAX_RECV_DATA_SEGMENT_LENGTH,
                Integer.toString(number(record, NodeKeys.MAX_RECV_DATA_SEGMENT_LENGTH, 262_144, 512, 16_777_215)));
        return m;
    }

    /** Operational keys for a discovery session. */
    public static Map<String, String> discovery(RecordValues record) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TextKeys.HEADER_DIGEST, "None");
        m.put(TextKeys.DATA_DIGEST, "None");
        m.put(TextKeys.DEFAULT_TIME2WAIT, "2");
        m.put(TextKeys.DEFAULT_TIME2RETAIN, "0");
        m.put(TextKeys.ERROR_RECOVERY_LEVEL, "0");
        m.put(TextKeys.MAX_RECV_DATA_SEGMENT_LENGTH, Integer.toString(number(record, DISCOVERY_MRDSL, 32_768, 512, 16_777_215)));
        return m;
    }

    /** The record's MaxXmitDataSegmentLength; 0 means "as large as the target accepts". */
    public static int maxXmitCap(RecordValues record) {
        int v = record.getInt(NodeKeys.MAX_XMIT_DATA_SEGMENT_LENGTH, 0);
        if (v != 0 && (v < 512 || v > 16_777_215)) {
            throw new IscsiException(IscsiError.INVAL, "record key " + NodeKeys.MAX_XMIT_DATA_SEGMENT_LENGTH + ": " + v
                    + " is outside 512..16777215 (or 0)");
        }
        return v;
    }

    private static String digest(RecordValues record, String key) {
        String v = record.get(key, "None").replace(" ", "");
        for (String part : v.split(",")) {
            if (!part.equals("None") && !part.equals("CRC32C")) {
                throw new IscsiException(IscsiError.INVAL, "record key " + key + ": '" + v
                        + "' is not None, CRC32C or a comma-separated list of them");
            }
        }
        return v;
    }

    private static String yesNo(RecordValues record, String key, boolean def) {
        return record.getBoolean(key, def) ? "Yes" : "No";
    }

    private static int number(RecordValues record, String key, int def, int min, int max) {
        int v = record.getInt(key, def);
        if (v < min || v > max) {
            throw new IscsiException(IscsiError.INVAL, "record key " + key + ": " + v + " is outside " + min + ".." + max);
        }
        return v;
    }
}
