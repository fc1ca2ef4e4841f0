package org.kiscsi.api.node;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values a record key takes where open-iscsi has a fixed set (Yes/No, digests, startup modes,
 * auth methods): what the daemon accepts for the key and what front ends offer to complete. Keys not
 * listed take free text or numbers.
 */
public final class KeyChoices {
    private static final List<String> YES_NO = List.of("Yes", "No");
    private static final List<String> STARTUP = List.of("manual", "automatic", "onboot");
    private static final List<String> DIGESTS = List.of("None", "CRC32C", "CRC32C,None", "None,CRC32C");
    private static final List<String> AUTH_METHODS = List.of("None", "CHAP");

    private static final Map<String, List<String>> WORDS = Map.ofEntries(
            Map.entry(NodeKeys.STARTUP, STARTUP),
            Map.entry(NodeKeys.CONN_STARTUP, STARTUP),
            Map.entry("discovery.startup", List.of("manual", "automatic")),
            Map.entry(NodeKeys.LEADING_LOGIN, YES_NO),
            Map.entry(NodeKeys.INITIAL_R2T, YES_NO),
            Map.entry(NodeKeys.IMMEDIATE_DATA, YES_NO),
            Map.entry(NodeKeys.FAST_ABORT, YES_NO),
            Map.entry("node.conn[0].iscsi.IFMarker", YES_NO),
            Map.entry("node.conn[0].iscsi.OFMarker", YES_NO),
            Map.entry(NodeKeys.AUTH_STRICT, YES_NO),
            Map.entry("discovery.sendtargets.auth.strict", YES_NO),
            Map.entry("discovery.sendtargets.use_discoveryd", YES_NO),
            Map.entry("discovery.isns.use_discoveryd", YES_NO),
            Map.entry(NodeKeys.HEADER_DIGEST, DIGESTS),
            Map.entry(NodeKeys.DATA_DIGEST, DIGESTS),
            Map.entry(NodeKeys.AUTH_METHOD, AUTH_METHODS),
            Map.entry("discovery.sendtargets.auth.authmethod", AUTH_METHODS),
            Map.entry("node.session.scan", List.of("auto", "manual")));

    /** The CHAP algorithms {@code node.session.auth.chap_algs} lists (comma-separated, in order of preference). */
    public static final List<String> CHAP_ALGORITHMS = List.of("MD5", "SHA1", "SHA256", "SHA3-256");

    private KeyChoices() {
    }

    /** The values {@code key} takes, in open-iscsi's order; empty when the key has no fixed set. */
    public static Optional<List<String>> of(String key) {
        return Optional.ofNullable(WORDS.get(key));
    }
}
