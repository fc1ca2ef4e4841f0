package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NegotiatedParametersTest {
    /** tgtd 1.0.85's defaults, as --op show --mode target --tid N prints them. */
    private static Map<String, String> tgtdDefaults() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("MaxRecvDataSegmentLength", "8192");
        t.put("HeaderDigest", "None");
        t.put("DataDigest", "None");
        t.put("InitialR2T", "Yes");
        t.put("MaxOutstandingR2T", "1");
        t.put("ImmediateData", "Yes");
        t.put("FirstBurstLength", "65536");
        t.put("MaxBurstLength", "262144");
        return t;
    }

    @Test
    void openIscsiDefaultsAgainstTgtdDefaults() {
        Map<String, String> n = NegotiatedParameters.of(tgtdDefaults(), Map.of());
        assertEquals(NegotiatedParameters.FIELDS, n.keySet().stream().toList());
        assertEquals(Map.of("HeaderDigest", "None", "DataDigest", "None", "MaxRecvDataSegmentLength", "262144",
                "MaxXmitDataSegmentLength", "8192", "FirstBurstLength", "65536", "MaxBurstLength", "262144", "ImmediateData", "Yes",
                "InitialR2T", "Yes", "MaxOutstandingR2T", "1"), n);
    }

    @Test
    void eachRuleTakesTheStricterSide() {
        Map<String, String> t = tgtdDefaults();
        t.put("MaxRecvDataSegmentLength", "16384");
        t.put("HeaderDigest", "CRC32C,None");
        t.put("ImmediateData", "No");
        t.put("InitialR2T", "No");
        t.put("MaxBurstLength", "1048576");
        Map<String, String> rec = Map.of("node.conn[0].iscsi.HeaderDigest", "CRC32C,None", "node.conn[0].iscsi.MaxXmitDataSegmentLength",
                "12288", "node.session.iscsi.MaxBurstLength", "524288", "node.session.iscsi.FirstBurstLength", "32768",
                "node.conn[0].iscsi.MaxRecvDataSegmentLength", "65536");
        Map<String, String> n = NegotiatedParameters.of(t, rec);
        assertEquals("CRC32C", n.get("HeaderDigest"), "the first of the initiator's list tgtd accepts");
        assertEquals("65536", n.get("MaxRecvDataSegmentLength"), "the initiator's own declaration");
        assertEquals("12288", n.get("MaxXmitDataSegmentLength"), "capped by the record's MaxXmitDataSegmentLength");
        assertEquals("32768", n.get("FirstBurstLength"));
        assertEquals("524288", n.get("MaxBurstLength"));
        assertEquals("No", n.get("ImmediateData"), "AND");
        assertEquals("No", n.get("InitialR2T"), "OR of No and No");
    }

    @Test
    void digestsWithNothingInCommonFail() {
        Map<String, String> t = tgtdDefaults();
        assertThrows(IllegalArgumentException.class,
                () -> NegotiatedParameters.of(t, Map.of("node.conn[0].iscsi.HeaderDigest", "CRC32C")));
    }
}
