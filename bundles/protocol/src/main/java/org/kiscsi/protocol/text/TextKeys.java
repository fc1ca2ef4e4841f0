package org.kiscsi.protocol.text;

import static org.kiscsi.protocol.text.KeyDefinition.Merge.AND;
import static org.kiscsi.protocol.text.KeyDefinition.Merge.DECLARATIVE;
import static org.kiscsi.protocol.text.KeyDefinition.Merge.LIST;
import static org.kiscsi.protocol.text.KeyDefinition.Merge.MAX;
import static org.kiscsi.protocol.text.KeyDefinition.Merge.MIN;
import static org.kiscsi.protocol.text.KeyDefinition.Merge.OR;
import static org.kiscsi.protocol.text.KeyDefinition.Scope.CONNECTION;
import static org.kiscsi.protocol.text.KeyDefinition.Scope.SESSION;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kiscsi.protocol.text.KeyDefinition.Merge;
import org.kiscsi.protocol.text.KeyDefinition.Scope;

/** The catalogue of text keys kiscsi understands (RFC 7143 section 13, RFC 7144). */
public final class TextKeys {
    public static final String HEADER_DIGEST = "HeaderDigest";
    public static final String DATA_DIGEST = "DataDigest";
    public static final String MAX_CONNECTIONS = "MaxConnections";
    public static final String SEND_TARGETS = "SendTargets";
    public static final String TARGET_NAME = "TargetName";
    public static final String INITIATOR_NAME = "InitiatorName";
    public static final String TARGET_ALIAS = "TargetAlias";
    public static final String INITIATOR_ALIAS = "InitiatorAlias";
    public static final String TARGET_ADDRESS = "TargetAddress";
    public static final String TARGET_PORTAL_GROUP_TAG = "TargetPortalGroupTag";
    public static final String INITIAL_R2T = "InitialR2T";
    public static final String IMMEDIATE_DATA = "ImmediateData";
    public static final String MAX_RECV_DATA_SEGMENT_LENGTH = "MaxRecvDataSegmentLength";
    public static final String MAX_BURST_LENGTH = "MaxBurstLength";
    public static final String FIRST_BURST_LENGTH = "FirstBurstLength";
    public static final String DEFAULT_TIME2WAIT = "DefaultTime2Wait";
    public static final String DEFAULT_TIME2RETAIN = "DefaultTime2Retain";
    public static final String MAX_OUTSTANDING_R2T = "MaxOutstandingR2T";
    public static final String DATA_PDU_IN_ORDER = "DataPDUInOrder";
    public static final String DATA_SEQUENCE_IN_ORDER = "DataSequenceInOrder";
    public static final String ERROR_RECOVERY_LEVEL = "ErrorRecoveryLevel";
    public static final String SESSION_TYPE = "SessionType";
    public static final String AUTH_METHOD = "AuthMethod";
    public static final String TASK_REPORTING = "TaskReporting";
    public static final String PROTOCOL_LEVEL = "iSCSIProtocolLevel";

    private static final long MAX_24 = 16_777_215L;
    private static final Map<String, KeyDefinition> KEYS = new LinkedHashMap<>();

    static {
        list(HEADER_DIGEST, CONNECTION, false, "None", "None", "CRC32C");
        list(DATA_DIGEST, CONNECTION, false, "None", "None", "CRC32C");
        numeric(MAX_CONNECTIONS, MIN, SESSION, true, 1, 1, 65535);
        declarative(SEND_TARGETS, SESSION, null);
        declarative(TARGET_NAME, SESSION, null);
        declarative(INITIATOR_NAME, SESSION, null);
        declarative(TARGET_ALIAS, SESSION, null);
        declarative(INITIATOR_ALIAS, SESSION, null);
        declarative(TARGET_ADDRESS, SESSION, null);
        add(new KeyDefinition(TARGET_PORTAL_GROUP_TAG, DECLARATIVE, SESSION, false, null, 0, 65535, List.of()));
        bool(INITIAL_R2T, OR, "Yes");
        bool(IMMEDIATE_DATA, AND, "Yes");
        add(new KeyDefinition(MAX_RECV_DATA_SEGMENT_LENGTH, DECLARATIVE, CONNECTION, false, "8192", 512, MAX_24, List.of()));
        numeric(MAX_BURST_LENGTH, MIN, SESSION, true, 262144, 512, MAX_24);
        numeric(FIRST_BURST_LENGTH, MIN, SESSION, true, 65536, 512, MAX_24);
        numeric(DEFAULT_TIME2WAIT, MAX, SESSION, true, 2, 0, 3600);
        numeric(DEFAULT_TIME2RETAIN, MIN, SESSION, true, 20, 0, 3600);
        numeric(MAX_OUTSTANDING_R2T, MIN, SESSION, true, 1, 1, 65535);
        bool(DATA_PDU_IN_ORDER, OR, "Yes");
        bool(DATA_SEQUENCE_IN_ORDER, OR, "Yes");
        numeric(ERROR_RECOVERY_LEVEL, MIN, SESSION, true, 0, 0, 2);
        add(new KeyDefinition(SESSION_TYPE, DECLARATIVE, SESSION, true, "Normal", 0, 0, List.of("Normal", "Discovery")));
        list(AUTH_METHOD, CONNECTION, false, "None", "None", "CHAP", "KRB5", "SRP", "SPKM1", "SPKM2");
        list(TASK_REPORTING, SESSION, true, "RFC3720", "RFC3720", "ResponseFence", "FastAbort");
        numeric(PROTOCOL_LEVEL, MIN, SESSION, true, 1, 0, 31);
    }

    private TextKeys() {
    }

    private static void add(KeyDefinition d) {
        KEYS.put(d.name(), d);
    }

    private static void list(String name, Scope scope, boolean leadingOnly, String def, String... values) {
        add(new KeyDefinition(name, LIST, scope, leadingOnly, def, 0, 0, List.of(values)));
    }

    private static void numeric(String name, Merge merge, Scope scope, boolean leadingOnly, long def, long min, long max) {
        add(new KeyDefinition(name, merge, scope, leadingOnly, Long.toString(def), min, max, List.of()));
    }

    private static void bool(String name, Merge merge, String def) {
        add(new KeyDefinition(name, merge, SESSION, true, def, 0, 0, List.of("Yes", "No")));
    }

    private static void declarative(String name, Scope scope, String def) {
        add(new KeyDefinition(name, DECLARATIVE, scope, false, def, 0, 0, List.of()));
    }

    public static Optional<KeyDefinition> definition(String key) {
        return Optional.ofNullable(KEYS.get(key));
    }

    /** Every key in the catalogue, in RFC order. */
    public static Map<String, KeyDefinition> all() {
        return java.util.Collections.unmodifiableMap(KEYS);
    }

    /** Obsolete keys of RFC 3720 (markers) a target may still send: kiscsi answers them NotUnderstood. */
    public static boolean isObsolete(String key) {
        return key.equals("IFMarker") || key.equals("OFMarker") || key.equals("IFMarkInt") || key.equals("OFMarkInt");
    }
}
