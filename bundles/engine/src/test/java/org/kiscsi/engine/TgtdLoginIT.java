package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.engine.EngineFixture.await;
import static org.kiscsi.engine.EngineFixture.record;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.testkit.peers.IscsiPdu;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.testkit.peers.Tshark;
import org.kiscsi.testkit.peers.TsharkCapture;

/** Login and logout against a real tgtd: negotiated values field by field, digests, and the wire seen by tshark. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TgtdLoginIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:login";
    private static Tgtd tgtd;
    private static TgtTarget target;
    private EngineFixture f;

    @BeforeAll
    static void startTgtd() {
        tgtd = Tgtd.start(Loopback.IPV4);
        target = tgtd.createTarget(IQN);
        target.addLun(1, LunBacking.file(16 << 20));
        target.allowAll();
    }

    @AfterAll
    static void stopTgtd() {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @BeforeEach
    void engine() {
        f = new EngineFixture();
    }

    @AfterEach
    void close() {
        f.close();
    }

    private NodeRecord node() {
        return record(IQN, tgtd.portal());
    }

    @Test
    void negotiatedValuesAreWhatTheRulesGiveForOurOfferAndTgtdsAnswers() throws Exception {
        // a record made without a TPGT (iscsiadm -o new -p ip:port)
        SessionInfo s = await(f.engine.login(record(IQN, tgtd.portal().withoutTpgt())));
        Map<String, String> n = s.negotiated();
        // tgtd answers InitialR2T=Yes (OR with our No), FirstBurstLength=65536 (MIN of 262144 and 65536),
        // MaxBurstLength=262144 (MIN of 16776192 and 262144), ImmediateData=Yes (AND)
        assertEquals("Yes", n.get("InitialR2T"));
        assertEquals("Yes", n.get("ImmediateData"));
        assertEquals("65536", n.get("FirstBurstLength"));
        assertEquals("262144", n.get("MaxBurstLength"));
        assertEquals("1", n.get("MaxOutstandingR2T"));
        assertEquals("2", n.get("DefaultTime2Wait"));
        assertEquals("0", n.get("DefaultTime2Retain"));
        assertEquals("0", n.get("ErrorRecoveryLevel"));
        assertEquals("Yes", n.get("DataPDUInOrder"));
        assertEquals("Yes", n.get("DataSequenceInOrder"));
        assertEquals("1", n.get("MaxConnections"));
        Map<String, String> c = s.connections().get(0).negotiated();
        assertEquals("None", c.get("HeaderDigest"));
        assertEquals("None", c.get("DataDigest"));
        // tgtd never declares MaxRecvDataSegmentLength: the RFC default 8192 applies towards it
        assertEquals("8192", c.get("MaxXmitDataSegmentLength"));
        assertEquals("262144", c.get("MaxRecvDataSegmentLength"));
        assertEquals("1", n.get("TargetPortalGroupTag"));
        // the record has no TPGT; the session lists the one tgtd returned, as open-iscsi does
        assertEquals(org.kiscsi.api.Portal.TPGT_UNKNOWN, s.node().portal().tpgt());
        assertEquals(1, s.targetPortalGroupTag());
        assertEquals(tgtd.portal().withTpgt(1), s.portal());
        assertTrue(s.tsih() > 0);
        assertTrue(tgtd.show().toString().contains(EngineFixture.INITIATOR), "tgtd lists our session: " + tgtd.show());
        await(f.engine.logout(s.sid()));
        assertTrue(f.engine.sessions().isEmpty());
    }

    @Test
    void digestsWhereTgtdAcceptsThem() throws Exception {
        target.set("HeaderDigest", "CRC32C,None");
        target.set("DataDigest", "CRC32C,None");
        try {
            SessionInfo s = await(f.engine.login(node().with(NodeKeys.HEADER_DIGEST, "CRC32C,None")
                    .with(NodeKeys.DATA_DIGEST, "CRC32C,None")));
            assertEquals("CRC32C", s.connections().get(0).negotiated().get("HeaderDigest"));
            assertEquals("CRC32C", s.connections().get(0).negotiated().get("DataDigest"));
            ScsiTaskExecutor x = f.engine.executor(s.sid());
            byte[] data = new byte[128 * 1024];
            new java.util.Random(5).nextBytes(data);
            ScsiResult w = await(x.execute(ScsiTask.write(1, Cdbs.write10(8, data.length / 512), ByteBuffer.wrap(data))));
            assertTrue(w.isGood(), "write status " + w.status());
            ByteBuffer in = ByteBuffer.allocate(data.length);
            ScsiResult r = await(x.execute(ScsiTask.read(1, Cdbs.read10(8, data.length / 512), in)));
            assertTrue(r.isGood(), "read status " + r.status());
            assertTrue(java.util.Arrays.equals(data, in.array()), "data read back differs");
            await(f.engine.logout(s.sid()));
        } finally {
            target.set("HeaderDigest", "None");
            target.set("DataDigest", "None");
        }
    }

    @Test
    void tsharkDecodesOurLoginWithoutMalformedOrWarningMarks() throws Exception {
        try (TsharkCapture cap = Tshark.capture(tgtd.port())) {
            SessionInfo s = await(f.engine.login(node()));
            await(f.engine.executor(s.sid()).execute(ScsiTask.noData(1, Cdbs.testUnitReady())));
            await(f.engine.logout(s.sid()));
            Path pcap = cap.stop(); // the capture's files live until it is closed
            List<String> problems = Tshark.initiatorSideProblems(pcap, tgtd.port());
            assertTrue(problems.isEmpty(), "tshark flags our PDUs: " + problems);
            var pdus = Tshark.iscsiPdus(pcap, tgtd.port());
            assertTrue(pdus.stream().anyMatch(p -> p.opcode() == IscsiPdu.LOGIN_REQUEST), "no Login Request decoded as iSCSI: " + pdus);
            assertTrue(pdus.stream().anyMatch(p -> p.opcode() == IscsiPdu.LOGIN_RESPONSE), "no Login Response decoded: " + pdus);
            assertTrue(pdus.stream().anyMatch(p -> p.opcode() == IscsiPdu.LOGOUT_REQUEST), "no Logout Request decoded: " + pdus);
        }
    }

    @Test
    void wrongTargetNameIsAClearFatalLoginError() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> await(f.engine.login(record("iqn.2026-11.org.kiscsi.it:nosuch", tgtd.portal()))));
        org.kiscsi.api.IscsiException i = (org.kiscsi.api.IscsiException) e.getCause();
        assertEquals(org.kiscsi.api.IscsiError.FATAL_LOGIN, i.error());
        assertTrue(i.getMessage().contains("not found") && i.getMessage().contains(tgtd.portal().hostPort()), i.getMessage());
    }
}
