package org.kiscsi.api.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A session's counters since login, summed over its connections: what {@code iscsiadm -m session -s}
 * prints under {@code iSCSI SNMP:} (the iSCSI MIB's, RFC 4544), plus a transport's own counters
 * under {@code iSCSI Extended:}.
 *
 * @param txDataOctets data segment bytes sent (SCSI Data-Out and immediate data)
 * @param rxDataOctets data segment bytes received (SCSI Data-In)
 * @param extended a transport's or the engine's own counters, by name, in a stable order
 */
public record SessionStatistics(long txDataOctets, long rxDataOctets,
        long nopOutPdus, long scsiCommandPdus, long tmfRequestPdus, long loginPdus, long textPdus,
        long dataOutPdus, long logoutPdus, long snackPdus,
        long nopInPdus, long scsiResponsePdus, long tmfResponsePdus, long textResponsePdus, long dataInPdus,
        long logoutResponsePdus, long r2tPdus, long asyncPdus, long rejectPdus,
        long digestErrors, long timeoutErrors, Map<String, Long> extended) {
    public SessionStatistics {
        extended = Collections.unmodifiableMap(new LinkedHashMap<>(extended));
    }
}
