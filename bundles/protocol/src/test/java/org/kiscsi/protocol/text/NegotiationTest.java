package org.kiscsi.protocol.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.protocol.ProtocolException;

class NegotiationTest {
    private static Negotiation offering(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new Negotiation(m, m, "target T at 127.0.0.1:3260");
    }

    private static List<KeyValue> kv(String... kv) {
        List<KeyValue> l = new java.util.ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            l.add(new KeyValue(kv[i], kv[i + 1]));
        }
        return l;
    }

    @Test
    void minMaxOrAndListAnswersWithinTheRules() {
        Negotiation n = offering("MaxBurstLength", "16776192", "DefaultTime2Wait", "2", "InitialR2T", "No",
                "ImmediateData", "Yes", "HeaderDigest", "CRC32C,None");
        assertTrue(n.receive(kv("MaxBurstLength", "262144", "DefaultTime2Wait", "5", "InitialR2T", "Yes",
                "ImmediateData", "No", "HeaderDigest", "None")).isEmpty());
        assertEquals(Map.of("MaxBurstLength", "262144", "DefaultTime2Wait", "5", "InitialR2T", "Yes",
                "ImmediateData", "No", "HeaderDigest", "None"), n.results());
    }

    @Test
    void answersBreakingTheRulesAreNegotiationErrors() {
        String[][] bad = {
            {"MaxBurstLength", "65536", "262144"},   // MIN answered higher
            {"DefaultTime2Wait", "2", "1"},          // MAX answered lower
            {"InitialR2T", "Yes", "No"},             // OR: Yes offered
            {"ImmediateData", "No", "Yes"},          // AND: No offered
            {"HeaderDigest", "None", "CRC32C"},      // LIST: not offered
            {"MaxBurstLength", "65536", "abc"},
            {"MaxBurstLength", "65536", "100"},      // below the key's range
        };
        for (String[] b : bad) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> offering(b[0], b[1]).receive(kv(b[0], b[2])),
                    String.join(" ", b));
            assertTrue(e.getMessage().contains("127.0.0.1:3260") && e.getMessage().contains(b[0]), e.getMessage());
        }
    }

    @Test
    void irrelevantRejectAndNotUnderstoodFallBackToDefaults() {
        Negotiation n = offering("FirstBurstLength", "262144", "HeaderDigest", "CRC32C,None", "MaxConnections", "1");
        n.receive(kv("FirstBurstLength", "Irrelevant", "HeaderDigest", "Reject", "MaxConnections", "NotUnderstood"));
        assertEquals("65536", n.results().get("FirstBurstLength"));
        assertEquals("None", n.results().get("HeaderDigest"));
        assertEquals("1", n.results().get("MaxConnections"));
        // a rejected digest whose default (None) was not offered cannot fall back
        assertThrows(ProtocolException.class, () -> offering("HeaderDigest", "CRC32C").receive(kv("HeaderDigest", "Reject")));
    }

    @Test
    void targetOffersAreAnswered() {
        Negotiation n = offering("MaxBurstLength", "262144");
        List<KeyValue> answers = n.receive(kv("MaxOutstandingR2T", "4", "X-vendor.thing", "1", "OFMarker", "No",
                "DataDigest", "CRC32C,None"));
        assertEquals(kv("MaxOutstandingR2T", "1", "X-vendor.thing", "NotUnderstood", "OFMarker", "NotUnderstood",
                "DataDigest", "None"), answers);
    }

    @Test
    void declarationsAreKeptApart() {
        Negotiation n = offering("MaxRecvDataSegmentLength", "262144");
        n.receive(kv("MaxRecvDataSegmentLength", "65536", "TargetAlias", "disk1"));
        assertEquals("65536", n.declaredByTarget().get("MaxRecvDataSegmentLength"));
        assertEquals("disk1", n.declaredByTarget().get("TargetAlias"));
        assertEquals("262144", n.results().get("MaxRecvDataSegmentLength"));
    }

    @Test
    void tgtdStyleAnswersGiveTheExpectedParameters() {
        Negotiation n = new Negotiation(SessionOffers.normal(RecordValues.empty()), SessionOffers.normal(RecordValues.empty()), "t");
        // tgtd 1.0.85 answers everything but never declares MaxRecvDataSegmentLength
        n.receive(kv("HeaderDigest", "None", "DataDigest", "None", "DefaultTime2Wait", "2", "DefaultTime2Retain", "0",
                "ErrorRecoveryLevel", "0", "InitialR2T", "Yes", "ImmediateData", "Yes", "MaxBurstLength", "262144",
                "FirstBurstLength", "65536", "MaxOutstandingR2T", "1", "MaxConnections", "1", "DataPDUInOrder", "Yes",
                "DataSequenceInOrder", "Yes"));
        NegotiatedParameters p = NegotiatedParameters.from(n, 0, "t");
        assertEquals(true, p.initialR2T());
        assertEquals(true, p.immediateData());
        assertEquals(65536, p.firstBurstLength());
        assertEquals(262144, p.maxBurstLength());
        assertEquals(262144, p.maxRecvDataSegmentLength());
        assertEquals(8192, p.maxXmitDataSegmentLength());
        assertEquals(0, p.defaultTime2Retain());
        assertTrue(n.unanswered().isEmpty());
    }

    @Test
    void offersComeFromTheRecord() {
        RecordValues r = RecordValues.empty().with(NodeKeys.MAX_BURST_LENGTH, "65536").with(NodeKeys.FIRST_BURST_LENGTH, "262144")
                .with(NodeKeys.HEADER_DIGEST, "CRC32C,None").with(NodeKeys.INITIAL_R2T, "Yes");
        Map<String, String> o = SessionOffers.normal(r);
        assertEquals("65536", o.get("FirstBurstLength"), "FirstBurstLength is capped at MaxBurstLength");
        assertEquals("CRC32C,None", o.get("HeaderDigest"));
        assertEquals("Yes", o.get("InitialR2T"));
        assertEquals("2", o.get("DefaultTime2Wait"));
        assertEquals("0", o.get("DefaultTime2Retain"));
        assertThrows(RuntimeException.class, () -> SessionOffers.normal(RecordValues.empty().with(NodeKeys.HEADER_DIGEST, "MD5")));
        assertThrows(RuntimeException.class, () -> SessionOffers.normal(RecordValues.empty().with(NodeKeys.MAX_BURST_LENGTH, "1")));
        assertEquals("32768", SessionOffers.discovery(RecordValues.empty()).get("MaxRecvDataSegmentLength"));
    }

    @Test
    void firstBurstAboveMaxBurstIsAnError() {
        Negotiation n = offering("MaxBurstLength", "262144", "FirstBurstLength", "262144", "InitialR2T", "No");
        n.receive(kv("MaxBurstLength", "8192", "FirstBurstLength", "65536", "InitialR2T", "No"));
        assertThrows(ProtocolException.class, () -> NegotiatedParameters.from(n, 0, "t"));
    }
}
