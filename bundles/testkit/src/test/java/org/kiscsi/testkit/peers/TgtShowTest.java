package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TgtShowTest {
    /** tgtadm 1.0.85 output with a logged-in initiator, two LUNs, an account and two ACL entries. */
    private static final String SHOW = """
            Target 1: iqn.2026-11.test.pe:n
                System information:
                    Driver: iscsi
                    State: ready
                I_T nexus information:
                    I_T nexus: 1
                        Initiator: iqn.2010-11.libiscsi:iscsi-perf alias: none
                        Connection: 0
                            IP Address: ::1
                LUN information:
                    LUN: 0
                        Type: controller
                        SCSI ID: IET     00010000
                        SCSI SN: beaf10
                        Size: 0 MB, Block size: 1
                        Online: Yes
                        Removable media: No
                        Prevent removal: No
                        Readonly: No
                        SWP: No
                        Thin-provisioning: No
                        Backing store type: null
                        Backing store path: None
                        Backing store flags:\s
                    LUN: 2
                        Type: disk
                        SCSI ID: IET     00010002
                        SCSI SN: beaf12
                        Size: 17 MB, Block size: 4096
                        Online: Yes
                        Removable media: No
                        Prevent removal: No
                        Readonly: No
                        SWP: No
                        Thin-provisioning: Yes
                        Backing store type: rdwr
                        Backing store path: /dev/shm/pe1.img
                        Backing store flags:\s
                Account information:
                    a1 (outgoing)
                ACL information:
                    ALL
                    iqn.2026-11.x:y
            Target 2: iqn.2026-11.test.pe:empty
                System information:
                    Driver: iscsi
                    State: ready
                I_T nexus information:
                LUN information:
                Account information:
                ACL information:
            """;

    @Test
    void parsesTargetsLunsNexusesAccountsAndAcl() {
        List<TgtShow.Target> targets = TgtShow.parseTargets(SHOW);
        assertEquals(2, targets.size());
        TgtShow.Target t = targets.get(0);
        assertEquals(1, t.tid());
        assertEquals("iqn.2026-11.test.pe:n", t.iqn());
        assertEquals("ready", t.state());
        assertEquals(List.of(new TgtShow.Nexus(1, "iqn.2010-11.libiscsi:iscsi-perf", List.of("::1"))), t.nexuses());
        assertEquals(new TgtShow.Lun(2, "disk", "beaf12", 17, 4096, true, true, "rdwr", "/dev/shm/pe1.img"), t.lun(2).orElseThrow());
        assertEquals("controller", t.lun(0).orElseThrow().type());
        assertFalse(t.lun(0).orElseThrow().thinProvisioning());
        assertEquals(List.of("a1 (outgoing)"), t.accounts());
        assertEquals(List.of("ALL", "iqn.2026-11.x:y"), t.acl());
        TgtShow.Target empty = targets.get(1);
        assertTrue(empty.luns().isEmpty() && empty.nexuses().isEmpty() && empty.acl().isEmpty());
    }

    @Test
    void parsesTargetParameters() {
        Map<String, String> p = TgtShow.parseParameters("nop_interval=0\nMaxRecvDataSegmentLength=8192\nHeaderDigest=CRC32C\n");
        assertEquals(List.of("nop_interval", "MaxRecvDataSegmentLength", "HeaderDigest"), List.copyOf(p.keySet()));
        assertEquals("CRC32C", p.get("HeaderDigest"));
    }

    @Test
    void connectionsPortalsAndStatisticsAsTgtadmPrintsThem() {
        String conns = """
                Session: 3
                    Connection: 0
                        Initiator: iqn.2010-11.libiscsi:iscsi-perf
                        IP Address: 127.0.0.1
                Session: 4
                    Connection: 0
                        Initiator: iqn.2026-11.x:init
                        IP Address: ::1
                """;
        assertEquals(List.of(new TgtShow.Connection(3, 0, "iqn.2010-11.libiscsi:iscsi-perf", "127.0.0.1"),
                new TgtShow.Connection(4, 0, "iqn.2026-11.x:init", "::1")), TgtShow.parseConnections(conns));
        assertEquals(List.of(new TgtShow.PortalGroup("127.0.0.1", 13260, 1), new TgtShow.PortalGroup("::1", 3262, 1)),
                TgtShow.parsePortals("Portal: 127.0.0.1:13260,1\nPortal: [::1]:3262,1\n"));
        String stat = """
                tgt lun sid rd_subm(bytes,cmds) rd_done(bytes,cmds) wr_subm(bytes,cmds) wr_done(bytes,cmds) errs
                  1   1   3    117514272  28691    117514272  28691            0      0            0      0    1
                  1   0   3            0      0            0      0            0      0            0      0    0

                sid cid rxdata_octets txdata_octets dataout_pdus datain_pdus cmd_pdus rsp_pdus
                  3   0       1377720     118891904            0           0    28693        0
                """;
        assertEquals(List.of(new TgtShow.ConnectionStats(3, 0, 1377720, 118891904, 0, 0, 28693, 0)), TgtShow.parseConnectionStats(stat));
    }
}
