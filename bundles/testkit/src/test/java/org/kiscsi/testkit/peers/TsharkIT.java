package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Tshark} on captures of libiscsi and QEMU talking to tgtd. */
class TsharkIT {
    private static Tgtd tgtd;
    private static TgtTarget target;

    @BeforeAll
    static void startTgtd() {
        Tool.require(Tool.TSHARK);
        tgtd = Tgtd.start(Loopback.IPV4);
        target = tgtd.createTarget("iqn.2026-11.org.kiscsi.testkit:tshark-it");
        target.addLun(1, LunBacking.file(4 * 1024 * 1024));
        target.allowAll();
    }

    @AfterAll
    static void stopTgtd() {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @Test
    void capturesALibiscsiLoginWithoutMalformedInitiatorPdus() {
        Path dir;
        try (TsharkCapture capture = Tshark.capture(tgtd.port())) {
            dir = capture.pcap().getParent();
            LibiscsiTools.create().inquiry(target.url(1));
            Path pcap = capture.stop();
            assertFalse(capture.isRunning());

            List<IscsiPdu> pdus = Tshark.iscsiPdus(pcap, tgtd.port());
            List<Integer> opcodes = pdus.stream().map(IscsiPdu::opcode).toList();
            assertEquals(IscsiPdu.LOGIN_REQUEST, opcodes.get(0), opcodes.toString());
            assertEquals(IscsiPdu.LOGIN_RESPONSE, opcodes.get(1), opcodes.toString());
            assertTrue(opcodes.contains(IscsiPdu.SCSI_COMMAND) && opcodes.contains(IscsiPdu.LOGOUT_RESPONSE), opcodes.toString());
            assertTrue(pdus.get(0).toPort(tgtd.port()));

            List<FieldRow> keys = Tshark.fields(pcap, new int[] {tgtd.port()}, "iscsi.keyvalue", "iscsi.opcode", "iscsi.keyvalue");
            assertTrue(keys.get(0).all("iscsi.keyvalue").contains("TargetName=" + target.iqn()), keys.get(0).toString());
            assertTrue(keys.get(0).all("iscsi.keyvalue").contains("HeaderDigest=None,CRC32C"), "commas inside a value survive: " + keys.get(0));

            assertEquals(List.of(), Tshark.initiatorSideProblems(pcap, tgtd.port()));
            assertEquals(1, OutstandingCommands.max(pdus), "iscsi-inq sends one command at a time");
        }
        assertFalse(Files.exists(dir), "close deletes the capture directory");
    }

    @Test
    void countsCommandsOutstandingAtOnce() {
        try (TsharkCapture capture = Tshark.capture(tgtd.port())) {
            QemuImg.create().bench(target.url(1), false, 256, 4096, 8);
            Path pcap = capture.stop();
            int max = Tshark.maxOutstandingCommands(pcap, tgtd.port());
            assertTrue(max > 1 && max <= 8, "qemu-img bench -d 8 keeps up to 8 commands in flight, saw " + max);
            long reads = Tshark.iscsiPdus(pcap, tgtd.port()).stream().filter(p -> p.opcode() == IscsiPdu.SCSI_COMMAND).count();
            assertTrue(reads >= 256, reads + " SCSI commands for 256 requests");
        }
    }
}
