package org.kiscsi.mgmt.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Isid;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.HostInfo;
import org.kiscsi.api.manage.LunSummary;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.Capacity;
import org.kiscsi.api.scsi.StandardInquiry;
import org.kiscsi.api.session.ConnectionInfo;
import org.kiscsi.api.session.ConnectionState;
import org.kiscsi.api.session.RecoveryStage;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionStatistics;
import org.kiscsi.api.session.SessionType;

/**
 * Session, statistics and host text from typed values. No kernel initiator runs here to compare
 * with, so each expected string is the layout read from open-iscsi 2.1.8's source: the function is
 * named at each test.
 */
class SessionTextTest {
    private static final String T = "iqn.2026-11.org.kiscsi:disk1";
    private static final HostInfo HOST = new HostInfo(1, "tcp", "", "", "", "iqn.2026-11.org.kiscsi:init", List.of(1L, 2L));

    private static SessionDetails session(long sid, String portal, SessionState state, RecoveryStage stage,
            ConnectionState conn, List<LunSummary> luns) {
        NodeKey key = new NodeKey(IscsiName.of(T), Portal.parse(portal), "default");
        Map<String, String> sess = new LinkedHashMap<>();
        sess.put("InitialR2T", "No");
        sess.put("ImmediateData", "Yes");
        sess.put("FirstBurstLength", "65536");
        sess.put("MaxBurstLength", "262144");
        sess.put("MaxOutstandingR2T", "1");
        sess.put("TargetPortalGroupTag", "1");
        Map<String, String> c = Map.of("HeaderDigest", "None", "DataDigest", "CRC32C", "MaxRecvDataSegmentLength", "262144",
                "MaxXmitDataSegmentLength", "8192");
        Portal p = key.portal();
        SessionInfo info = new SessionInfo(sid, key, SessionType.NORMAL, Isid.of(0x400001370000L), 5, state, stage,
                List.of(new ConnectionInfo(0, conn, "tcp", "127.0.0.1:40000", p.hostPort(), c)), sess, "", Instant.EPOCH);
        NodeRecord record = NodeRecord.create(key, RecordValues.empty().with(NodeKeys.REPLACEMENT_TIMEOUT, "120")
                .with(NodeKeys.USERNAME, "joe").with(NodeKeys.PASSWORD, "secret-1"));
        return new SessionDetails(info, Optional.of(record), new IfaceRecord("default", RecordValues.empty()), 1, luns);
    }

    @Test
    void flatListAsSessionInfoPrintFlat() {
        // session_info_print_flat: "%s: [%u] %s:%d,%d %s (%s)", IPv6 in brackets; sessions in alphasort order of session<sid>
        List<SessionDetails> l = List.of(session(2, "[::1]:3260", SessionState.LOGGED_IN, RecoveryStage.NONE, ConnectionState.LOGGED_IN, List.of()),
                session(10, "127.0.0.1:3260", SessionState.LOGGED_IN, RecoveryStage.NONE, ConnectionState.LOGGED_IN, List.of()));
        assertEquals(new Printed("tcp: [10] 127.0.0.1:3260,1 " + T + " (non-flash)\ntcp: [2] [::1]:3260,1 " + T + " (non-flash)\n", "", 0),
                SessionText.list(l, List.of(HOST), -1, false));
        assertEquals(new Printed("", "iscsiadm: No active sessions.\n", 21), SessionText.list(List.of(), List.of(), 0, false));
        assertEquals(new Printed("", "iscsiadm: Invalid info level 4. Try 0 - 3.\n", 7), SessionText.list(l, List.of(), 4, false));
    }

    private static final String LEVEL1 = "Target: " + T + " (non-flash)\n"
            + "\tCurrent Portal: 127.0.0.1:3260,1\n"
            + "\tPersistent Portal: 127.0.0.1:3260,1\n"
            + "\t\t**********\n\t\tInterface:\n\t\t**********\n"
            + "\t\tIface Name: default\n\t\tIface Transport: tcp\n\t\tIface Initiatorname: iqn.2026-11.org.kiscsi:init\n"
            + "\t\tIface IPaddress: 127.0.0.1\n\t\tIface HWaddress: default\n\t\tIface Netdev: default\n"
            + "\t\tSID: 1\n"
            + "\t\tiSCSI Connection State: LOGGED IN\n"
            + "\t\tiSCSI Session State: LOGGED_IN\n"
            + "\t\tInternal iscsid Session State: NO CHANGE\n";

    private static final String LEVEL2 = "\t\t*********\n\t\tTimeouts:\n\t\t*********\n"
            + "\t\tRecovery Timeout: 120\n\t\tTarget Reset Timeout: 30\n\t\tLUN Reset Timeout: 30\n\t\tAbort Timeout: 15\n"
            + "\t\t*****\n\t\tCHAP:\n\t\t*****\n"
            + "\t\tusername: joe\n\t\tpassword: ********\n\t\tusername_in: <empty>\n\t\tpassword_in: ********\n"
            + "\t\t************************\n\t\tNegotiated iSCSI params:\n\t\t************************\n"
            + "\t\tHeaderDigest: None\n\t\tDataDigest: CRC32C\n\t\tMaxRecvDataSegmentLength: 262144\n"
            + "\t\tMaxXmitDataSegmentLength: 8192\n\t\tFirstBurstLength: 65536\n\t\tMaxBurstLength: 262144\n"
            + "\t\tImmediateData: Yes\n\t\tInitialR2T: No\n\t\tMaxOutstandingR2T: 1\n";

    @Test
    void printLevelsAsSessionInfoPrintTree() {
        SessionDetails s = session(1, "127.0.0.1:3260", SessionState.LOGGED_IN, RecoveryStage.NONE, ConnectionState.LOGGED_IN,
                List.of(new LunSummary(0, inquiry(), Optional.of(Capacity.of(2048, 512)), "")));
        // session_info_print_tree with SESSION_INFO_IFACE | SESSION_INFO_ISCSI_STATE, iface_print, print_iscsi_state
        assertEquals(LEVEL1, SessionText.list(List.of(s), List.of(HOST), 1, false).stdout());
        // + SESSION_INFO_ISCSI_TIM, _AUTH (passwords masked), print_iscsi_params
        assertEquals(LEVEL1 + LEVEL2, SessionText.list(List.of(s), List.of(HOST), 2, false).stdout());
        // -S: 2.1.8 prints the shown password_in under the label "password:"
        assertEquals(LEVEL1 + LEVEL2.replace("password: ********", "password: secret-1").replace("password_in: ********", "password: <empty>"),
                SessionText.list(List.of(s), List.of(HOST), 2, true).stdout());
        // + print_scsi_state: host line, one line per LUN, and kiscsi's LUN facts where the kernel names sdX
        assertEquals(LEVEL1 + LEVEL2 + "\t\t************************\n\t\tAttached SCSI devices:\n\t\t************************\n"
                + "\t\tHost Number: 1\tState: running\n"
                + "\t\tscsi1 Channel 00 Id 0 Lun: 0\n"
                + "\t\t\tkiscsi LUN 0 (user space, no /dev/sdX): direct access block device, Vendor: IET, Product: VIRTUAL-DISK, Revision: 0001\n"
                + "\t\t\tCapacity: 1048576 bytes (2048 blocks of 512 bytes)\n",
                SessionText.list(List.of(s), List.of(HOST), 3, false).stdout());
    }

    @Test
    void recoveryStatesInOpenIscsisWords() {
        SessionDetails s = session(1, "127.0.0.1:3260", SessionState.RECOVERING, RecoveryStage.WAITING, ConnectionState.CLEANUP_WAIT, List.of());
        String out = SessionText.list(List.of(s), List.of(HOST), 1, false).stdout();
        assertEquals(true, out.endsWith("\t\tiSCSI Connection State: CLEANUP WAIT\n\t\tiSCSI Session State: FAILED\n"
                + "\t\tInternal iscsid Session State: REOPEN\n"), out);
        // a second session on the same portal: 2.1.8 prints an empty line instead of the portal lines
        SessionDetails again = session(2, "127.0.0.1:3260", SessionState.LOGGING_IN, RecoveryStage.NONE, ConnectionState.IN_LOGIN, List.of());
        String two = SessionText.list(List.of(s, again), List.of(HOST), 1, false).stdout();
        assertEquals(1, two.split("Target: ", -1).length - 1, two);
        assertEquals(true, two.contains("REOPEN\n\n\t\t**********\n"), two);
        assertEquals(true, two.endsWith("IN LOGIN\n\t\tiSCSI Session State: FREE\n\t\tInternal iscsid Session State: NO CHANGE\n"), two);
    }

    @Test
    void statisticsRescanAndHostsAsIscsiadm() {
        SessionInfo info = session(1, "127.0.0.1:3260", SessionState.LOGGED_IN, RecoveryStage.NONE, ConnectionState.LOGGED_IN, List.of()).info();
        SessionStatistics st = new SessionStatistics(4096, 8192, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                Map.of("tx_queue_full", 20L));
        // usr/iscsiadm.c session_stats
        assertEquals("Stats for session [sid: 1, target: " + T + ", portal: 127.0.0.1,3260]\niSCSI SNMP:\n"
                + "\ttxdata_octets: 4096\n\trxdata_octets: 8192\n\tnoptx_pdus: 1\n\tscsicmd_pdus: 2\n\ttmfcmd_pdus: 3\n"
                + "\tlogin_pdus: 4\n\ttext_pdus: 5\n\tdataout_pdus: 6\n\tlogout_pdus: 7\n\tsnack_pdus: 8\n\tnoprx_pdus: 9\n"
                + "\tscsirsp_pdus: 10\n\ttmfrsp_pdus: 11\n\ttextrsp_pdus: 12\n\tdatain_pdus: 13\n\tlogoutrsp_pdus: 14\n"
                + "\tr2t_pdus: 15\n\tasync_pdus: 16\n\trjt_pdus: 17\n\tdigest_err: 18\n\ttimeout_err: 19\n"
                + "iSCSI Extended:\n\ttx_queue_full: 20\n", SessionOps.statistics(info, st));
        // rescan_portal
        assertEquals(new Printed("Rescanning session [sid: 1, target: " + T + ", portal: 127.0.0.1,3260]\n", "", 0),
                SessionOps.rescanned(List.of(Outcome.ok(info))));
        // usr/host.c host_info_print_flat and host_info_print_tree
        assertEquals("tcp: [1] <empty>,[<empty>],<empty> iqn.2026-11.org.kiscsi:init\n",
                HostText.print(List.of(HOST), List.of(), 0, -1).stdout());
        assertEquals("Host Number: 1\n\tState: running\n\tTransport: tcp\n\tInitiatorname: iqn.2026-11.org.kiscsi:init\n"
                + "\tIPaddress: <empty>\n\tHWaddress: <empty>\n\tNetdev: <empty>\n", HostText.print(List.of(HOST), List.of(), 1, -1).stdout());
        assertEquals(new Printed("", "iscsiadm: No iSCSI hosts.\n", 21), HostText.print(List.of(), List.of(), 0, -1));
        // login and logout: usr/session_mgmt.c
        NodeKey k = info.node();
        assertEquals(new Printed("Logging in to [iface: default, target: " + T + ", portal: 127.0.0.1,3260]\n",
                "iscsiadm: Could not login to [iface: default, target: " + T + ", portal: 127.0.0.1,3260].\n"
                + "iscsiadm: initiator reported error (8 - connection timed out)\n"
                + "iscsiadm: connect to 127.0.0.1:3260 timed out\n"
                + "iscsiadm: Could not log into all portals\n", 8),
                NodeOutcomes.login(List.of(Outcome.failed(k, IscsiError.TRANS_TIMEOUT, "connect to 127.0.0.1:3260 timed out")), true));
        assertEquals(new Printed("Logging out of session [sid: 1, target: " + T + ", portal: 127.0.0.1,3260]\n"
                + "Logout of [sid: 1, target: " + T + ", portal: 127.0.0.1,3260] successful.\n", "", 0),
                NodeOutcomes.logout(List.of(Outcome.ok(info))));
    }

    private static StandardInquiry inquiry() {
        return new StandardInquiry(0, 0, false, 6, 2, false, false, false, 0, false, false, false, false, true, "IET",
                "VIRTUAL-DISK", "0001", List.of());
    }
}
