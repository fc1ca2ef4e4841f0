package org.kiscsi.transport.iser.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.LoginKey;
import org.kiscsi.spi.transport.LoginKey.Rule;
import org.kiscsi.transport.iser.IserOptions;

/** iSER's keys with the rules of RFC 7145 section 6 (as tgt's param.c implements them). */
class IserKeysTest {
    private static final IserOptions O = IserOptions.DEFAULTS;

    @Test
    void offersEveryKeyWithItsRule() {
        List<LoginKey> keys = IserKeys.offers(O.withHelloRequired(true));
        assertEquals(List.of("RDMAExtensions", "InitiatorRecvDataSegmentLength", "TargetRecvDataSegmentLength",
                "MaxOutstandingUnexpectedPDUs", "MaxAHSLength", "TaggedBufferForSolicitedDataOnly", "iSERHelloRequired"),
                keys.stream().map(LoginKey::name).toList());
        // RFC 7145 section 6.3: RDMAExtensions is leading-only (LO) and session-wide; the lengths are per connection
        assertEquals(new LoginKey("RDMAExtensions", Rule.AND, "Yes", "No", 0, 0, LoginKey.Scope.LEADING_SESSION), keys.get(0));
        assertEquals(LoginKey.Scope.CONNECTION, keys.get(1).scope());
        assertEquals(new LoginKey("InitiatorRecvDataSegmentLength", Rule.MIN, "8192", "8192", 512, 16_777_215), keys.get(1));
        assertEquals(new LoginKey("TargetRecvDataSegmentLength", Rule.MIN, "8192", "8192", 512, 16_777_215), keys.get(2));
        assertEquals(Rule.MIN, keys.get(3).rule());
        assertEquals("32", keys.get(3).offer());
        assertEquals("0", keys.get(3).defaultValue());
        assertEquals(LoginKey.declare("MaxAHSLength", "256"), keys.get(4));
        assertEquals(LoginKey.declare("TaggedBufferForSolicitedDataOnly", "Yes"), keys.get(5));
        assertEquals("No", IserKeys.offers(O.withTaggedBufferForSolicitedDataOnly(false)).get(5).offer());
        assertEquals(LoginKey.declare("iSERHelloRequired", "Yes"), keys.get(6));
        assertEquals("No", IserKeys.offers(O).get(6).offer());
    }

    @Test
    void theOutcomeIsTakenAsNegotiated() {
        IserKeys.Outcome o = IserKeys.read(Map.of("RDMAExtensions", "Yes", "InitiatorRecvDataSegmentLength", "4096",
                "TargetRecvDataSegmentLength", "1024", "MaxOutstandingUnexpectedPDUs", "16"), O, "t");
        assertEquals(new IserKeys.Outcome(4096, 1024, 16), o);
    }

    @Test
    void absentLengthsAreTheDefaultAndZeroUnexpectedIsOurOwnLimit() {
        IserKeys.Outcome o = IserKeys.read(Map.of("RDMAExtensions", "Yes", "MaxOutstandingUnexpectedPDUs", "0"), O, "t");
        assertEquals(new IserKeys.Outcome(8192, 8192, 32), o);
    }

    @Test
    void withoutRdmaExtensionsIserCannotGoOn() {
        for (Map<String, String> results : List.of(Map.<String, String>of(), Map.of("RDMAExtensions", "No"))) {
            IscsiException e = assertThrows(IscsiException.class, () -> IserKeys.read(results, O, "target 10.0.0.1:3260"));
            assertEquals(IscsiError.TRANS_CAPS, e.error());
            assertTrue(e.getMessage().contains("RDMAExtensions=Yes") && e.getMessage().contains("10.0.0.1:3260"), e.getMessage());
        }
    }

    @Test
    void valuesBreakingTheRangeOrTheOfferAreRefused() {
        for (Map<String, String> bad : List.of(Map.of("InitiatorRecvDataSegmentLength", "256"),
                Map.of("TargetRecvDataSegmentLength", "9000"), Map.of("MaxOutstandingUnexpectedPDUs", "1"),
                Map.of("MaxOutstandingUnexpectedPDUs", "33"), Map.of("InitiatorRecvDataSegmentLength", "x"))) {
            Map<String, String> r = new java.util.HashMap<>(bad);
            r.put("RDMAExtensions", "Yes");
            IscsiException e = assertThrows(IscsiException.class, () -> IserKeys.read(r, O, "t"), bad.toString());
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
    }

    @Test
    void optionsOutsideTheirRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IserOptions(511, 8192, 32, 0, false, 8));
        assertThrows(IllegalArgumentException.class, () -> new IserOptions(8192, 8192, 1, 0, false, 8));
        assertThrows(IllegalArgumentException.class, () -> new IserOptions(8192, 8192, 32, 6, false, 8));
    }
}
