package org.kiscsi.engine.internal;

import java.util.List;
import java.util.stream.Collectors;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.KeyEffect;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordEffects;
import org.kiscsi.api.node.RecordSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a login makes of the record keys kiscsi does not act on (RecordEffects): a value it cannot
 * honour without misleading fails the login (INVAL, saying why); values kept only for open-iscsi get
 * one WARN line naming the keys (never their values).
 */
final class RecordEffectsAtLogin {
    private static final Logger LOG = LoggerFactory.getLogger(RecordEffectsAtLogin.class);

    private RecordEffectsAtLogin() {
    }

    /** @return the kept keys warned about (for tests) */
    static List<String> check(NodeRecord record) {
        List<KeyEffect> refused = RecordEffects.refusedWithValue(RecordSchema.NODE, record.values());
        if (!refused.isEmpty()) {
            throw new IscsiException(IscsiError.INVAL, "record " + record.key() + ": "
                    + refused.stream().map(KeyEffect::explain).collect(Collectors.joining("; ")));
        }
        List<String> kept = RecordEffects.keptWithValue(RecordSchema.NODE, record.values()).stream()
                .map(KeyEffect::key).toList();
        if (!kept.isEmpty()) {
            LOG.warn("login to {}: the record sets {} to values other than the default; kiscsi keeps these keys for "
                    + "open-iscsi and does not act on them", record.key(), String.join(", ", kept));
        }
        return kept;
    }
}
