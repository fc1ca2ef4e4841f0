package org.kiscsi.mgmt.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.discovery.NodeChange;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.node.NodeKey;

/** What a discovery prints, as usr/iscsiadm.c exec_disc_op_on_recs and usr/idbm.c idbm_print_node_flat/_tree lay it out. */
class DiscoveryTextTest {
    static final IscsiName A = IscsiName.of("iqn.2026-11.org.kiscsi.test:a");
    static final IscsiName B = IscsiName.of("iqn.2026-11.org.kiscsi.test:b");
    static final NodeKey A4 = new NodeKey(A, Portal.parse("127.0.0.1:3260,1"), "default");
    static final NodeKey A6 = new NodeKey(A, Portal.parse("[::1]:3260,1"), "default");
    static final NodeKey A6IF = new NodeKey(A, Portal.parse("[::1]:3260,1"), "if1");
    /** A target listed without a TargetAddress: the discovery portal, TPGT unknown. */
    static final NodeKey B0 = new NodeKey(B, Portal.parse("127.0.0.1:3260"), "default");

    @Test
    void foundLinesBracketAnAddressWithoutADotAndPrintAnUnknownTpgtSigned() {
        Printed p = DiscoveryText.found(new AppliedDiscovery(List.of(A4, A6, B0), List.of(), true), -1);
        assertEquals("127.0.0.1:3260,1 " + A + "\n[::1]:3260,1 " + A + "\n127.0.0.1:3260,-1 " + B + "\n", p.stdout());
        assertEquals("", p.stderr());
        assertEquals(0, p.exitCode());
    }

    @Test
    void levelOneIsTheTreeWithTargetAndPortalLinesOnlyWhenTheyChange() {
        Printed p = DiscoveryText.found(new AppliedDiscovery(List.of(A4, A6, A6IF, B0), List.of(), true), 1);
        assertEquals("Target: " + A + "\n\tPortal: 127.0.0.1:3260,1\n\t\tIface Name: default\n"
                + "\tPortal: [::1]:3260,1\n\t\tIface Name: default\n\t\tIface Name: if1\n"
                + "Target: " + B + "\n\tPortal: 127.0.0.1:3260,-1\n\t\tIface Name: default\n", p.stdout());
    }

    @Test
    void aStaleRecordInUseIsNamedAndTheExitIs15() {
        String sentence = "This command will remove the record [iface: default, target: " + B
                + ", portal: 127.0.0.1,3260], but a session is using it. Logout session then rerun command to remove record.";
        Printed p = DiscoveryText.found(new AppliedDiscovery(List.of(A4), List.of(
                new NodeChange(A4, NodeChange.Kind.KEPT, IscsiError.OK, ""),
                new NodeChange(B0, NodeChange.Kind.FAILED, IscsiError.SESS_EXISTS, sentence),
                new NodeChange(A6, NodeChange.Kind.FAILED, IscsiError.IDBM, "cannot write")), true), 0);
        assertEquals("127.0.0.1:3260,1 " + A + "\n", p.stdout());
        assertEquals("iscsiadm: " + sentence + "\niscsiadm: Could not add/update [tcp:[hw=,ip=,net_if=,iscsi_if=default] ::1,3260,1 "
                + A + "]\niscsiadm: cannot write\n", p.stderr());
        assertEquals(15, p.exitCode());
    }

    @Test
    void deleteInUseNamesEachRecordThenTwoPointOneEightsSentence() {
        Printed p = DiscoveryText.deleted(Outcome.failed(Portal.parse("127.0.0.1:3260"), IscsiError.SESS_EXISTS,
                "first record\nsecond record"));
        assertEquals("iscsiadm: first record\niscsiadm: second record\niscsiadm: Unable to delete record!\n", p.stderr());
        assertEquals(15, p.exitCode());
        assertEquals(Printed.NOTHING, DiscoveryText.deleted(Outcome.ok(Portal.parse("127.0.0.1:3260"))));
    }

    @Test
    void noPortalsAndAFailedDiscovery() {
        assertEquals(new Printed("", "iscsiadm: No portals found\n", 21), DiscoveryText.noPortals());
        Printed p = DiscoveryText.failed(org.kiscsi.api.node.DiscoveryType.SENDTARGETS, IscsiError.LOGIN_AUTH_FAILED,
                "login to discovery portal at 127.0.0.1:3260 failed: CHAP refused");
        assertEquals("iscsiadm: Could not perform SendTargets discovery: iSCSI login failed due to authorization failure\n"
                + "iscsiadm: login to discovery portal at 127.0.0.1:3260 failed: CHAP refused\n", p.stderr());
        assertEquals(24, p.exitCode());
    }
}
