package org.kiscsi.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.kiscsi.protocol.text.KeyDefinition;
import org.kiscsi.protocol.text.TextKeys;
import org.kiscsi.spi.transport.LoginKey;
import org.kiscsi.spi.transport.TransportCapability;

/** A transport's login keys in the engine's offers: their scope decides where they are negotiated. */
class TransportOffersTest {
    private static final List<LoginKey> KEYS = List.of(LoginKey.and("RDMAExtensions", "No", true).leadingOnly(),
            LoginKey.min("InitiatorRecvDataSegmentLength", 8192, 512, 16_777_215, 8192));

    @Test
    void theLeadingConnectionOffersEveryTransportKey() {
        Map<String, String> offers = TransportOffers.withTransportKeys(Map.of("HeaderDigest", "None"), KEYS, 0, "iser", "t");
        assertEquals("Yes", offers.get("RDMAExtensions"));
        assertEquals("8192", offers.get("InitiatorRecvDataSegmentLength"));
    }

    @Test
    void aConnectionAddedToASessionLeavesTheLeadingOnlyKeysOut() {
        Map<String, String> offers = TransportOffers.withTransportKeys(Map.of("HeaderDigest", "None"), KEYS, 0x1234, "iser", "t");
        assertFalse(offers.containsKey("RDMAExtensions"), offers.toString());
        assertEquals("8192", offers.get("InitiatorRecvDataSegmentLength"), "connection-scoped keys are offered on every connection");
    }

    @Test
    void theDefinitionsCarryTheScope() {
        List<KeyDefinition> d = TransportOffers.definitions(KEYS, "iser", "t");
        assertTrue(d.get(0).leadingOnly());
        assertEquals(KeyDefinition.Scope.SESSION, d.get(0).scope());
        assertFalse(d.get(1).leadingOnly());
        assertEquals(KeyDefinition.Scope.CONNECTION, d.get(1).scope());
    }

    @Test
    void aKeyWithoutAScopeIsAConnectionsOwn() {
        assertEquals(LoginKey.Scope.CONNECTION, new LoginKey("X-Vendor", LoginKey.Rule.AND, "Yes", "No", 0, 0).scope());
    }

    @Test
    void directDataPlacementOffersNoUnsolicitedDataUnlessTheTransportSendsIt() {
        Map<String, String> record = Map.of(TextKeys.IMMEDIATE_DATA, "Yes", TextKeys.INITIAL_R2T, "No");
        Map<String, String> placed = TransportOffers.fit(record, Set.of(TransportCapability.DIRECT_DATA_PLACEMENT), "x", "test");
        assertEquals("No", placed.get(TextKeys.IMMEDIATE_DATA));
        assertEquals("Yes", placed.get(TextKeys.INITIAL_R2T));
        Map<String, String> bySend = TransportOffers.fit(record, Set.of(TransportCapability.DIRECT_DATA_PLACEMENT,
                TransportCapability.UNSOLICITED_DATA_BY_SEND), "x", "test");
        assertEquals("Yes", bySend.get(TextKeys.IMMEDIATE_DATA), "the record's offer stands");
        assertEquals("No", bySend.get(TextKeys.INITIAL_R2T));
    }
}
