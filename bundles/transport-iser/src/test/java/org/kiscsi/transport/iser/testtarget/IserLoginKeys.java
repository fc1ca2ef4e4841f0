package org.kiscsi.transport.iser.testtarget;

import java.util.Set;

import org.kiscsi.protocol.text.KeyValue;

/** How the {@link IserTestTarget} answers iSER's login keys (RFC 7145 section 6), as tgt's param.c does. */
final class IserLoginKeys {
    private static final Set<String> DECLARATIONS = Set.of("MaxAHSLength", "TaggedBufferForSolicitedDataOnly", "iSERHelloRequired");

    private IserLoginKeys() {
    }

    /** Whether {@code kv} is one of the initiator's iSER declarations; the target notes it. */
    static boolean declaration(IserTestTarget target, KeyValue kv) {
        if (DECLARATIONS.contains(kv.key())) {
            target.declaredByInitiator.put(kv.key(), kv.value());
            return true;
        }
        return false;
    }

    /** The answer to one of iSER's negotiated keys; null for other keys. */
    static String answer(IserTestTarget target, KeyValue kv) {
        return switch (kv.key()) {
            case "RDMAExtensions" -> target.rdmaExtensions && kv.value().equals("Yes") ? "Yes" : "No";
            case "InitiatorRecvDataSegmentLength" -> Long.toString(Math.min(Long.parseLong(kv.value()), target.ownInitiatorRecv));
            case "TargetRecvDataSegmentLength" -> Long.toString(Math.min(Long.parseLong(kv.value()), target.ownTargetRecv));
            case "MaxOutstandingUnexpectedPDUs" -> {
                long theirs = Long.parseLong(kv.value());
                long own = target.ownMaxUnexpected;
                yield Long.toString(theirs == 0 ? own : own == 0 ? theirs : Math.min(theirs, own));
            }
            default -> null;
        };
    }
}
