package org.kiscsi.protocol.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.text.KeyDefinition.Merge;
import org.kiscsi.protocol.text.KeyDefinition.Scope;

/** Keys beyond RFC 7143's catalogue (a transport's own) are read by their own rules, never taken for the offer. */
class ExtensionKeyNegotiationTest {
    private static final KeyDefinition RDMA = new KeyDefinition("RDMAExtensions", Merge.AND, Scope.SESSION, true, "No", 0, 0,
            List.of("Yes", "No"));
    private static final KeyDefinition UNEXPECTED = new KeyDefinition("MaxOutstandingUnexpectedPDUs", Merge.DECLARATIVE,
            Scope.CONNECTION, false, "0", 0, 4_294_967_295L, List.of());
    private static final KeyDefinition VENDOR = new KeyDefinition("X-com.example.Framing", Merge.LIST, Scope.CONNECTION, false,
            null, 0, 0, List.of());
    private static final KeyDefinition WINDOW = new KeyDefinition("X-com.example.Window", Merge.MIN, Scope.CONNECTION, false,
            "8", 1, 64, List.of());

    private static Negotiation offering(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new Negotiation(m, m, "target T", List.of(RDMA, UNEXPECTED, VENDOR, WINDOW));
    }

    private static List<KeyValue> kv(String... kv) {
        List<KeyValue> l = new java.util.ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            l.add(new KeyValue(kv[i], kv[i + 1]));
        }
        return l;
    }

    @Test
    void anAndKeyAnsweredNoIsNoNotTheOffer() {
        Negotiation n = offering("RDMAExtensions", "Yes");
        assertTrue(n.receive(kv("RDMAExtensions", "No")).isEmpty());
        assertEquals("No", n.results().get("RDMAExtensions"));
        assertTrue(n.unanswered().isEmpty());
    }

    @Test
    void notUnderstoodTakesTheDefaultWhenTheRuleAllowsIt() {
        Negotiation n = offering("RDMAExtensions", "Yes", "X-com.example.Window", "16");
        n.receive(kv("RDMAExtensions", "NotUnderstood", "X-com.example.Window", "NotUnderstood"));
        assertEquals("No", n.results().get("RDMAExtensions"));
        assertEquals("8", n.results().get("X-com.example.Window"));
        assertTrue(n.notes().stream().anyMatch(s -> s.contains("RDMAExtensions")));
    }

    @Test
    void notUnderstoodWithoutADefaultLeavesTheKeyOut() {
        Negotiation n = offering("X-com.example.Framing", "Chunked,Plain");
        n.receive(kv("X-com.example.Framing", "NotUnderstood"));
        assertFalse(n.results().containsKey("X-com.example.Framing"));
        assertTrue(n.unanswered().isEmpty(), "answered, though not in use");
    }

    @Test
    void answersBreakingTheRuleFailTheLogin() {
        assertThrows(ProtocolException.class, () -> offering("X-com.example.Window", "16").receive(kv("X-com.example.Window", "32")));
        assertThrows(ProtocolException.class,
                () -> offering("X-com.example.Framing", "Chunked").receive(kv("X-com.example.Framing", "Plain")));
        Negotiation ok = offering("X-com.example.Window", "16", "X-com.example.Framing", "Chunked,Plain");
        ok.receive(kv("X-com.example.Window", "4", "X-com.example.Framing", "Plain"));
        assertEquals(Map.of("X-com.example.Window", "4", "X-com.example.Framing", "Plain"), ok.results());
    }

    @Test
    void aDeclarationIsReadAsTheTargetsOwn() {
        Negotiation n = offering("MaxOutstandingUnexpectedPDUs", "0");
        n.receive(kv("MaxOutstandingUnexpectedPDUs", "32"));
        assertEquals("32", n.declaredByTarget().get("MaxOutstandingUnexpectedPDUs"));
        Negotiation notUnderstood = offering("MaxOutstandingUnexpectedPDUs", "0");
        notUnderstood.receive(kv("MaxOutstandingUnexpectedPDUs", "NotUnderstood"));
        assertFalse(notUnderstood.declaredByTarget().containsKey("MaxOutstandingUnexpectedPDUs"));
    }

    @Test
    void aKeyTheTargetOffersFirstIsAnsweredByItsRule() {
        Negotiation n = offering("X-com.example.Window", "16");
        List<KeyValue> answers = n.receive(kv("X-com.example.Window", "12", "RDMAExtensions", "Yes"));
        assertEquals(kv("RDMAExtensions", "No"), answers, "not offered by this side: its default No, AND gives No");
    }

    @Test
    void undefinedOffersAndRedefinitionsAreRefused() {
        Map<String, String> m = Map.of("X-Unknown", "Yes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Negotiation(m, m, "t"));
        assertTrue(e.getMessage().contains("X-Unknown"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Negotiation(Map.of(), Map.of(), "t",
                List.of(new KeyDefinition("HeaderDigest", Merge.LIST, Scope.CONNECTION, false, "None", 0, 0, List.of()))));
    }
}
