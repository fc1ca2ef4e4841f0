package org.kiscsi.iscsid.internal.manage;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.node.KeyChoices;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordSchema;
import org.kiscsi.api.node.Secrets;

/**
 * The values a record key accepts where open-iscsi has a fixed set (Yes/No, digests, startup modes,
 * numbers); free text elsewhere. An empty value clears a key and is always accepted. open-iscsi
 * itself reads a bad number as 0 and ignores an unknown word; kiscsi refuses both, naming key and value.
 */
final class ValueRules {
    private static final Set<String> CHAP_ALGS = Set.copyOf(KeyChoices.CHAP_ALGORITHMS);

    private ValueRules() {
    }

    /** @throws IscsiException INVAL naming key and value (masked when secret) when the value is not one the key takes */
    static void check(RecordSchema kind, RecordChange c) {
        String v = c.value();
        if (v.isEmpty()) {
            return;
        }
        List<String> words = KeyChoices.of(c.key()).orElse(null);
        if (words != null) {
            if (!words.contains(v)) {
                throw bad(c, "one of " + String.join(", ", words));
            }
            return;
        }
        if (c.key().equals(NodeKeys.CHAP_ALGS)) {
            for (String a : v.split(",")) {
                if (!CHAP_ALGS.contains(a.trim().toUpperCase(Locale.ROOT))) {
                    throw bad(c, "a list of MD5, SHA1, SHA256, SHA3-256");
                }
            }
            return;
        }
        if (isNumber(kind, c.key())) {
            try {
                Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw bad(c, "a number");
            }
        }
    }

    /** Keys whose default is a number, and kiscsi's own timeouts. */
    private static boolean isNumber(RecordSchema kind, String key) {
        if (key.equals(NodeKeys.SCSI_CMD_TIMEOUT)) {
            return true;
        }
        String d = kind.defaultOf(key).orElse("");
        return !d.isEmpty() && d.matches("-?[0-9]+");
    }

    private static IscsiException bad(RecordChange c, String expected) {
        return new IscsiException(IscsiError.INVAL, "Cannot set " + c.key() + " to '" + Secrets.mask(c.key(), c.value())
                + "': expected " + expected + ".");
    }
}
