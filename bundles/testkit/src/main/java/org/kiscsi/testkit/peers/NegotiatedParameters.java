package org.kiscsi.testkit.peers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a login with tgtd negotiates, named and written as open-iscsi's {@code iscsiadm -m session -P 2}
 * prints its "Negotiated iSCSI params" block, from the two declarations: tgtd's side as it reports it
 * ({@link TgtTarget#parameters()}, {@code tgtadm --op show --mode target --tid N}) and the
 * initiator's node record. tgtd 1.0.85 keeps each session's result but has no request that prints it
 * (its session mode answers only {@code --op stat}); the result follows from both sides by RFC 7143's
 * rules (§13: the smaller of two numbers, the AND of ImmediateData, the OR of InitialR2T, the first
 * digest of the initiator's list the target accepts), so a test that sets tgtd's side to values
 * different from the record's can still compare field by field with what tgtd was told to allow.
 */
public final class NegotiatedParameters {
    /** The block's field names in open-iscsi's order (usr/session_info.c print_iscsi_params). */
    public static final List<String> FIELDS = List.of("HeaderDigest", "DataDigest", "MaxRecvDataSegmentLength",
            "MaxXmitDataSegmentLength", "FirstBurstLength", "MaxBurstLength", "ImmediateData", "InitialR2T", "MaxOutstandingR2T");
    /** RFC 7143's default for a MaxRecvDataSegmentLength a side does not declare (tgtd declares only others). */
    private static final int DEFAULT_MRDSL = 8192;
    /** open-iscsi always offers MaxOutstandingR2T=1 (no record key sets it). */
    private static final int INITIATOR_MAX_OUTSTANDING_R2T = 1;

    private NegotiatedParameters() {
    }

    /**
     * The negotiated values.
     *
     * @param target tgtd's parameters ({@code HeaderDigest=None}, {@code MaxBurstLength=262144}, ...)
     * @param record the initiator's node record ({@code node.conn[0].iscsi.HeaderDigest}, ...); keys
     *        it lacks take open-iscsi's iscsid.conf defaults
     */
    public static Map<String, String> of(Map<String, String> target, Map<String, String> record) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("HeaderDigest", digest("HeaderDigest", rec(record, "node.conn[0].iscsi.HeaderDigest", "None"), need(target, "HeaderDigest")));
        r.put("DataDigest", digest("DataDigest", rec(record, "node.conn[0].iscsi.DataDigest", "None"), need(target, "DataDigest")));
        r.put("MaxRecvDataSegmentLength", rec(record, "node.conn[0].iscsi.MaxRecvDataSegmentLength", "262144"));
        long targetRecv = Long.parseLong(target.getOrDefault("MaxRecvDataSegmentLength", Integer.toString(DEFAULT_MRDSL)));
        long ownXmit = Long.parseLong(rec(record, "node.conn[0].iscsi.MaxXmitDataSegmentLength", "0"));
        r.put("MaxXmitDataSegmentLength", Long.toString(ownXmit > 0 ? Math.min(ownXmit, targetRecv) : targetRecv));
        r.put("FirstBurstLength", min(rec(record, "node.session.iscsi.FirstBurstLength", "262144"), need(target, "FirstBurstLength")));
        r.put("MaxBurstLength", min(rec(record, "node.session.iscsi.MaxBurstLength", "16776192"), need(target, "MaxBurstLength")));
        r.put("ImmediateData", yes(rec(record, "node.session.iscsi.ImmediateData", "Yes")) && yes(need(target, "ImmediateData"))
                ? "Yes" : "No");
        r.put("InitialR2T", yes(rec(record, "node.session.iscsi.InitialR2T", "No")) || yes(need(target, "InitialR2T")) ? "Yes" : "No");
        r.put("MaxOutstandingR2T", min(Integer.toString(INITIATOR_MAX_OUTSTANDING_R2T), need(target, "MaxOutstandingR2T")));
        return r;
    }

    private static String digest(String key, String offered, String accepted) {
        List<String> acceptedList = list(accepted);
        for (String d : list(offered)) {
            if (acceptedList.contains(d)) {
                return d;
            }
        }
        throw new IllegalArgumentException(key + ": the initiator offers " + offered + ", tgtd accepts " + accepted
                + ": the login would fail, nothing is negotiated");
    }

    private static List<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String min(String a, String b) {
        return Long.toString(Math.min(Long.parseLong(a), Long.parseLong(b)));
    }

    private static boolean yes(String v) {
        return "Yes".equalsIgnoreCase(v.strip());
    }

    private static String rec(Map<String, String> record, String key, String openIscsiDefault) {
        String v = record.get(key);
        return v == null || v.isBlank() ? openIscsiDefault : v.strip();
    }

    private static String need(Map<String, String> target, String key) {
        String v = target.get(key);
        if (v == null) {
            throw new IllegalArgumentException("tgtd's parameters lack " + key + ": " + target.keySet());
        }
        return v;
    }
}
