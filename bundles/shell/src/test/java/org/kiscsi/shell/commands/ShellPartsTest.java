package org.kiscsi.shell.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.mgmt.text.Printed;

class ShellPartsTest {
    @Test
    void pairsGoInOrderAndAMissingValueIsRefused() {
        assertEquals(List.of(new RecordChange("a", "1"), new RecordChange("b", "")), RecordPairs.of(List.of("a", "b"), List.of("1", "")));
        IscsiException e = assertThrows(IscsiException.class, () -> RecordPairs.of(List.of("a", "b"), List.of("1")));
        assertEquals(IscsiError.INVAL, e.error());
    }

    @Test
    void nodeUpdatesRefuseIfaceKeysButTheTransportAndRenameTheOldTransportKey() {
        assertThrows(IscsiException.class, () -> RecordPairs.forNode(List.of(new RecordChange("iface.ipaddress", "1.2.3.4"))));
        assertThrows(IscsiException.class, () -> RecordPairs.forNode(List.of()));
        assertEquals(List.of(new RecordChange("iface.transport_name", "tcp")),
                RecordPairs.forNode(List.of(new RecordChange("node.transport_name", "tcp"))));
    }

    @Test
    void sessionIdsAreNumbersOrSysfsPaths() {
        assertEquals(3, SessionCommandSupport.parseSid("3"));
        assertEquals(12, SessionCommandSupport.parseSid("/sys/class/iscsi_session/session12"));
        assertEquals(IscsiError.GENERIC, assertThrows(IscsiException.class, () -> SessionCommandSupport.parseSid("x")).error());
    }

    @Test
    void aNonZeroExitPrintsStdoutThenFailsWithIscsiadmsStderrAndCode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Printed p = new Printed("Logging in to x\n", "iscsiadm: Could not log into all portals\n", 24);
        IscsiadmFailure f = assertThrows(IscsiadmFailure.class, () -> IscsiCommandSupport.show(p, new PrintStream(out), new PrintStream(err)));
        assertEquals("Logging in to x\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertEquals(24, f.exitCode());
        assertEquals("iscsiadm: Could not log into all portals\n", f.stderr());
        assertEquals("iscsiadm: Could not log into all portals\niscsiadm exit code 24: iSCSI login failed due to authorization failure",
                f.getMessage());
    }

    @Test
    void warningsOfACommandThatSucceededGoToStderr() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        IscsiCommandSupport.show(new Printed("if1 updated.\n", "iscsiadm: warning\n", 0), new PrintStream(out), new PrintStream(err));
        assertEquals("if1 updated.\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("iscsiadm: warning\n", err.toString(StandardCharsets.UTF_8));
    }
}
