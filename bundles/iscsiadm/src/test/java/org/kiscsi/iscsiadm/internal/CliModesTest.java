package org.kiscsi.iscsiadm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Isid;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.HostInfo;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.ConnectionInfo;
import org.kiscsi.api.session.ConnectionState;
import org.kiscsi.api.session.RecoveryStage;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.store.file.FileNodeStore;

/** The session, host, fw and node options open-iscsi's oracle cannot show here (no sessions, no kernel): exit codes and words. */
class CliModesTest {
    private static final String T = "iqn.2026-11.org.kiscsi:t";

    @TempDir
    Path dir;
    FileManagement m;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        m = new FileManagement(FileNodeStore.open(dir.resolve("etc-iscsi")));
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return new Iscsiadm(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                dir.resolve("iscsid.sock"), s -> m).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void withSession() {
        assertEquals(0, run("-m", "node", "-o", "new", "-T", T, "-p", "127.0.0.1:3260,1"));
        NodeKey key = new NodeKey(IscsiName.of(T), Portal.parse("127.0.0.1:3260,1"), "default");
        SessionInfo info = new SessionInfo(3, key, SessionType.NORMAL, Isid.of(0x400001370000L), 1, SessionState.LOGGED_IN,
                RecoveryStage.NONE, List.of(new ConnectionInfo(0, ConnectionState.LOGGED_IN, "tcp", "127.0.0.1:40000",
                        "127.0.0.1:3260", Map.of())), Map.of("TargetPortalGroupTag", "1"), "", Instant.EPOCH);
        m.sessions.add(new SessionDetails(info, Optional.empty(), new IfaceRecord("default", RecordValues.empty()), 1, List.of()));
        m.hosts.add(new HostInfo(1, "tcp", "", "", "", "iqn.2026-11.org.kiscsi:init", List.of(3L)));
    }

    @Test
    void sessionModeListsShowsAndLogsOut() {
        assertEquals(21, run("-m", "session"));
        assertEquals("iscsiadm: No active sessions.\n", err());
        withSession();
        assertEquals(0, run("-m", "session"));
        assertEquals("tcp: [3] 127.0.0.1:3260,1 " + T + " (non-flash)\n", out());
        assertEquals(0, run("-m", "session", "-r", "3", "-P", "1"));
        assertTrue(out().contains("\t\tSID: 3\n\t\tiSCSI Connection State: LOGGED IN\n"), out());
        assertEquals(0, run("-m", "session", "-r", "/sys/class/iscsi_session/session3"), "2.1.8 takes a sysfs path too");
        assertTrue(out().startsWith("# BEGIN RECORD 2.1.8\nnode.name = " + T + "\n"), "-r without -P shows the session's record: " + out());
        assertEquals(0, run("-m", "session", "-R"));
        assertEquals("Rescanning session [sid: 3, target: " + T + ", portal: 127.0.0.1,3260]\n", out());
        assertEquals(22, run("-m", "session", "-r", "9"));
        assertEquals("iscsiadm: Could not get session info for sid 9\n", err());
        assertEquals(1, run("-m", "session", "-r", "abc"));
        assertEquals("iscsiadm: abc is an invalid session ID or path\n", err());
        assertEquals(27, run("-m", "session", "-r", "3", "-o", "new"));
        assertEquals(27, run("-m", "session", "-r", "3", "-s"), "the test service has no statistics");
        assertTrue(err().endsWith("iscsiadm: Could not execute operation on all sessions: operation not supported\n"), err());

        assertEquals(15, run("-m", "node", "-T", T, "-o", "delete"));
        assertEquals("iscsiadm: This command will remove the record [iface: default, target: " + T + ", portal: 127.0.0.1,3260],"
                + " but a session is using it. Logout session then rerun command to remove record.\n"
                + "iscsiadm: Could not execute operation on all records: session exists\n", err());

        assertEquals(0, run("-m", "session", "-r", "3", "-u"));
        assertEquals("Logging out of session [sid: 3, target: " + T + ", portal: 127.0.0.1,3260]\n"
                + "Logout of [sid: 3, target: " + T + ", portal: 127.0.0.1,3260] successful.\n", out());
        assertEquals(21, run("-m", "node", "-T", T, "-u"));
        assertEquals("iscsiadm: No matching sessions found\n", err());
        assertEquals(0, run("-m", "node", "-T", T, "-o", "delete"));
    }

    @Test
    void hostModeAndWhatNeedsAKernel() {
        assertEquals(21, run("-m", "host"));
        assertEquals("iscsiadm: No iSCSI hosts.\n", err());
        withSession();
        assertEquals(0, run("-m", "host"));
        assertEquals("tcp: [1] <empty>,[<empty>],<empty> iqn.2026-11.org.kiscsi:init\n", out());
        assertEquals(0, run("-m", "host", "-P", "2", "-H", "1"));
        assertTrue(out().contains("\t*********\n\tSessions:\n\t*********\n\tTarget: " + T + " (non-flash)\n"), out());
        assertEquals(7, run("-m", "host", "-P", "5"));
        for (String sub : List.of("chap", "flashnode", "stats")) {
            assertEquals(27, run("-m", "host", "-C", sub, "-H", "1"));
            assertTrue(err().contains("kiscsi is a user-space initiator"), err());
        }
        assertEquals(27, run("-m", "fw"));
        assertTrue(err().contains("fw mode reads boot targets from the firmware"), err());
        assertEquals(27, run("-m", "iface", "-C", "ping", "-a", "127.0.0.1"));
        assertEquals(7, run("-m", "host", "-T", T));
        assertEquals("iscsiadm: host mode: option '-T' is not allowed/supported\n", err());
    }

    @Test
    void loginFailuresAndTheDaemonMissing() {
        assertEquals(0, run("-m", "node", "-o", "new", "-T", T, "-p", "127.0.0.1:3260,1"));
        assertEquals(27, run("-m", "node", "-T", T, "--login"), "the test service has no engine: its failure is the exit code");
        assertEquals(7, run("-m", "node", "-T", "not a name", "-o", "show"));
        assertEquals(0, run("-m", "node", "-T", T, "-p", "127.0.0.1:3260,7", "-o", "show"), "2.1.8 ignores the TPGT when matching");
        assertEquals(0, run("-m", "node", "-T", T, "-o", "update", "-n", "node.transport_name", "-v", "tcp"),
                "node.transport_name is iface.transport_name, as 2.1.8");
        int rc = new Iscsiadm(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                dir.resolve("iscsid.sock"), s -> {
                    throw new IscsiException(IscsiError.ISCSID_NOTCONN, "can not connect to iSCSI daemon at " + s);
                }).run("-m", "session");
        assertEquals(20, rc);
        assertTrue(err().contains("can not connect to iSCSI daemon at " + dir.resolve("iscsid.sock")), err());
        assertEquals(7, run("-m", "node", "-L", "sometimes"));
        assertEquals("iscsiadm: Invalid loginall option sometimes.\nTry `iscsiadm --help' for more information.\n", err());
    }

    @Test
    void namesAndValuesPairAsGetoptSeesThem() throws Exception {
        CommandLine l = CommandLine.parse("-m", "node", "-n", "a", "-n", "b", "-v", "1", "-v", "2", "-n", "c", "-v", "3");
        assertEquals(List.of(new org.kiscsi.api.manage.RecordChange("b", "1"), new org.kiscsi.api.manage.RecordChange("c", "2")),
                l.pairs(), "a pair is taken as soon as a name and a value are both there; the last -v 3 is dropped, as 2.1.8's loop does");
    }
}
