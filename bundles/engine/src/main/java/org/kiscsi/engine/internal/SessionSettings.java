package org.kiscsi.engine.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.auth.AuthCredentials;

/**
 * The configuration a session runs with, read once from its node record: timeouts, queue sizes,
 * transport and authentication. Configuration only: negotiated values and runtime state live
 * elsewhere. Defaults are open-iscsi's shipped iscsid.conf values.
 */
public record SessionSettings(Duration loginTimeout, Duration logoutTimeout, Duration commandTimeout,
        int cmdsMax, int nrSessions, int initialLoginRetryMax, String transportName, Optional<String> localAddress,
        String authMethod, List<String> chapAlgorithms, RecoverySettings recovery, Waits waits) {

    /**
     * The waits of a login and of text requests, and the record keys they come from (for messages).
     * A normal session waits {@code node.conn[0].timeo.login_timeout} for its whole login and for each
     * Text response; a discovery session as open-iscsi's discovery does: each answer in the security
     * stage after the target's first within {@code auth_timeout}, each Text response within
     * {@code active_timeout} (so a long answer in many PDUs may take longer as long as the target keeps
     * answering).
     *
     * @param keyPrefix {@code node.conn[0].timeo.} or {@code discovery.sendtargets.timeo.}
     * @param auth the wait for each security-stage answer after the first; empty: the login timeout alone
     * @param text the wait for each Text response
     * @param textKey the key {@code text} comes from
     */
    public record Waits(String keyPrefix, Optional<Duration> auth, Duration text, String textKey) {
    }

    /**
     * How the session watches its connection and recovers it (open-iscsi's keys and defaults).
     *
     * @param noopOutInterval NOP-Out ping period; zero sends no pings
     * @param noopOutTimeout how long a ping may go unanswered, with nothing else received, before
     *        the connection is declared dead
     * @param replacementTimeout how long commands are held while the session recovers before they
     *        fail; zero fails them at once; negative holds them until the session returns or logs out
     * @param abortTimeout wait for an ABORT TASK answer
     * @param luResetTimeout wait for a LOGICAL UNIT RESET answer
     * @param tgtResetTimeout wait for a TARGET WARM RESET answer
     * @param reopenMax reconnection attempts before the session is given up; 0 keeps trying
     */
    public record RecoverySettings(Duration noopOutInterval, Duration noopOutTimeout, Duration replacementTimeout,
            Duration abortTimeout, Duration luResetTimeout, Duration tgtResetTimeout, int reopenMax) {
        /** Whether held commands wait for the session however long it takes. */
        public boolean holdsForever() {
            return replacementTimeout.isNegative();
        }
    }

    /** Seconds a SCSI command may take before the engine gives up on it (as the kernel's sd default). */
    public static final int DEFAULT_SCSI_CMD_TIMEOUT = 30;

    public static SessionSettings of(NodeRecord record) {
        RecordValues v = record.values();
        String auth = v.get(NodeKeys.AUTH_METHOD, "None").trim();
        if (!auth.equals("None") && !auth.equals("CHAP")) {
            throw invalid(NodeKeys.AUTH_METHOD, auth, "None or CHAP");
        }
        List<String> algs = new ArrayList<>();
        for (String a : v.get(NodeKeys.CHAP_ALGS, "MD5").split(",")) {
            if (!a.isBlank()) {
                algs.add(a.trim());
            }
        }
        return new SessionSettings(
                seconds(v, NodeKeys.LOGIN_TIMEOUT, 15, 1),
                seconds(v, NodeKeys.LOGOUT_TIMEOUT, 15, 1),
                seconds(v, NodeKeys.SCSI_CMD_TIMEOUT, DEFAULT_SCSI_CMD_TIMEOUT, 1),
                range(v, NodeKeys.CMDS_MAX, 128, 2, 2048),
                range(v, NodeKeys.NR_SESSIONS, 1, 1, 256),
                range(v, NodeKeys.INITIAL_LOGIN_RETRY_MAX, 8, 0, 1000),
                v.get(NodeKeys.TRANSPORT_NAME, "tcp").trim().isEmpty() ? "tcp" : v.get(NodeKeys.TRANSPORT_NAME, "tcp").trim(),
                localAddress(v),
                auth, algs,
                new RecoverySettings(
                        seconds(v, NodeKeys.NOOP_OUT_INTERVAL, 5, 0),
                        seconds(v, NodeKeys.NOOP_OUT_TIMEOUT, 5, 1),
                        Duration.ofSeconds(range(v, NodeKeys.REPLACEMENT_TIMEOUT, 120, -86_400, 86_400)),
                        seconds(v, NodeKeys.ABORT_TIMEOUT, 15, 1),
                        seconds(v, NodeKeys.LU_RESET_TIMEOUT, 30, 1),
                        seconds(v, NodeKeys.TGT_RESET_TIMEOUT, 30, 1),
                        range(v, NodeKeys.REOPEN_MAX, 0, 0, 1_000_000)),
                new Waits("node.conn[0].timeo.", Optional.empty(), seconds(v, NodeKeys.LOGIN_TIMEOUT, 15, 1),
                        NodeKeys.LOGIN_TIMEOUT));
    }

    /**
     * The settings of a discovery session: {@code discovery.<type>.timeo.auth_timeout} (45 s by
     * default) and {@code active_timeout} (30 s) read from the discovery record's own values.
     */
    public SessionSettings forDiscovery(RecordValues discoveryValues, String timeoPrefix) {
        Waits w = new Waits(timeoPrefix, Optional.of(seconds(discoveryValues, timeoPrefix + "auth_timeout", 45, 1)),
                seconds(discoveryValues, timeoPrefix + "active_timeout", 30, 1), timeoPrefix + "active_timeout");
        return new SessionSettings(loginTimeout, logoutTimeout, commandTimeout, cmdsMax, nrSessions, initialLoginRetryMax,
                transportName, localAddress, authMethod, chapAlgorithms, recovery, w);
    }

    /** Credentials from the record; secrets are copied out of it only here, never logged. The caller wipes them. */
    public static AuthCredentials credentials(NodeRecord record) {
        RecordValues v = record.values();
        String in = v.get(NodeKeys.USERNAME_IN, "");
        String secretIn = v.get(NodeKeys.PASSWORD_IN, "");
        if (in.isEmpty() != secretIn.isEmpty()) {
            // half a mutual set-up would silently log in one-way: the target would go unchecked
            throw new IscsiException(IscsiError.INVAL, "record " + record.key() + ": "
                    + (in.isEmpty() ? NodeKeys.PASSWORD_IN + " is set but " + NodeKeys.USERNAME_IN + " is empty"
                            : NodeKeys.USERNAME_IN + " is set but " + NodeKeys.PASSWORD_IN + " is empty")
                    + ": mutual CHAP needs both (clear both for one-way CHAP)");
        }
        boolean mutual = !in.isEmpty();
        byte[] secret = v.get(NodeKeys.PASSWORD, "").getBytes(StandardCharsets.UTF_8);
        byte[] secretInBytes = mutual ? secretIn.getBytes(StandardCharsets.UTF_8) : null;
        try {
            return new AuthCredentials(v.get(NodeKeys.USERNAME, ""), secret, mutual ? in : null, secretInBytes);
        } finally {
            // AuthCredentials keeps copies; these were only on the way there
            Arrays.fill(secret, (byte) 0);
            if (secretInBytes != null) {
                Arrays.fill(secretInBytes, (byte) 0);
            }
        }
    }

    private static Optional<String> localAddress(RecordValues v) {
        String a = v.get(NodeKeys.IFACE_IPADDRESS, "").trim();
        return a.isEmpty() || a.equals("default") || a.equals("<empty>") ? Optional.empty() : Optional.of(a);
    }

    private static Duration seconds(RecordValues v, String key, int def, int min) {
        return Duration.ofSeconds(range(v, key, def, min, 86_400));
    }

    private static int range(RecordValues v, String key, int def, int min, int max) {
        int n = v.getInt(key, def);
        if (n < min || n > max) {
            throw invalid(key, Integer.toString(n), min + ".." + max);
        }
        return n;
    }

    private static IscsiException invalid(String key, String value, String allowed) {
        return new IscsiException(IscsiError.INVAL, "record key " + key + ": '" + value + "' is not " + allowed);
    }
}
