package org.kiscsi.engine.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.protocol.text.KeyDefinition;
import org.kiscsi.protocol.text.KeyDefinition.Merge;
import org.kiscsi.protocol.text.KeyDefinition.Scope;
import org.kiscsi.protocol.text.TextKeys;
import org.kiscsi.spi.transport.LoginKey;
import org.kiscsi.spi.transport.TransportCapability;

/**
 * What a login offers on a given transport: the record's operational keys within what the transport
 * declares it can do, and the transport's own keys with their rules.
 */
final class TransportOffers {
    private TransportOffers() {
    }

    /**
     * The record's offers fitted to the transport: without {@link TransportCapability#DIGESTS} only
     * {@code None} is offered for the digests (a record allowing nothing else is refused); with
     * {@link TransportCapability#DIRECT_DATA_PLACEMENT} and without
     * {@link TransportCapability#UNSOLICITED_DATA_BY_SEND} the transport moves all data, so no
     * unsolicited data is negotiated (ImmediateData=No, InitialR2T=Yes).
     */
    static Map<String, String> fit(Map<String, String> offers, Set<TransportCapability> caps, String transport, String what) {
        Map<String, String> out = new LinkedHashMap<>(offers);
        if (!caps.contains(TransportCapability.DIGESTS)) {
            for (String key : List.of(TextKeys.HEADER_DIGEST, TextKeys.DATA_DIGEST)) {
                String v = out.get(key);
                if (v == null) {
                    continue;
                }
                if (!Arrays.asList(v.split(",")).contains("None")) {
                    throw new IscsiException(IscsiError.TRANS_CAPS, what + ": the record asks for " + key + "=" + v
                            + ", and transport " + transport + " carries no digests; allow None for it");
                }
                out.put(key, "None");
            }
        }
        if (caps.contains(TransportCapability.DIRECT_DATA_PLACEMENT) && !caps.contains(TransportCapability.UNSOLICITED_DATA_BY_SEND)
                && out.containsKey(TextKeys.IMMEDIATE_DATA)) {
            out.put(TextKeys.IMMEDIATE_DATA, "No");
            out.put(TextKeys.INITIAL_R2T, "Yes");
        }
        return out;
    }

    /** The transport's keys as definitions the negotiation reads answers by; a key of RFC 7143 is refused. */
    static List<KeyDefinition> definitions(List<LoginKey> keys, String transport, String what) {
        List<KeyDefinition> out = new ArrayList<>();
        for (LoginKey k : keys) {
            if (TextKeys.definition(k.name()).isPresent() || TextKeys.isObsolete(k.name())) {
                throw new IscsiException(IscsiError.TRANS_CAPS, what + ": transport " + transport + " adds login key "
                        + k.name() + ", which RFC 7143 defines; a transport may add keys of its own only");
            }
            List<String> values = switch (k.rule()) {
                case AND, OR -> List.of("Yes", "No");
                default -> List.of();
            };
            boolean leadingOnly = k.scope() == LoginKey.Scope.LEADING_SESSION;
            out.add(new KeyDefinition(k.name(), Merge.valueOf(k.rule().name()), leadingOnly ? Scope.SESSION : Scope.CONNECTION,
                    leadingOnly, k.defaultValue(), k.min(), k.max(), values));
        }
        return out;
    }

    /**
     * The offers with the transport's keys after the record's (a transport key named twice is
     * refused). A connection added to a session (TSIH not 0) offers none of the leading-only keys.
     */
    static Map<String, String> withTransportKeys(Map<String, String> offers, List<LoginKey> keys, int tsih, String transport,
            String what) {
        Map<String, String> out = new LinkedHashMap<>(offers);
        for (LoginKey k : keys) {
            if (tsih != 0 && k.scope() == LoginKey.Scope.LEADING_SESSION) {
                continue;
            }
            if (out.put(k.name(), k.offer()) != null) {
                throw new IscsiException(IscsiError.TRANS_CAPS, what + ": transport " + transport + " adds login key "
                        + k.name() + " twice");
            }
        }
        return out;
    }
}
