package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.BeforeClass;
import org.junit.Test;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.itests.UnpackedDistribution.Result;
import org.kiscsi.store.file.FileNodeStore;
import org.kiscsi.testkit.peers.Isnsd;

/**
 * discoveryd following an iSNS server (issue 17): an {@code isns_config} record with
 * {@code discovery.isns.use_discoveryd = Yes} (and the default {@code discoveryd_poll_inval = -1}:
 * state-change notifications only); a target registered in isnsd with isnsadm gets a node record and
 * a session at tgtd, and once deregistered its session is logged out.
 */
public class DaemonIsnsIT extends DaemonAgainstTgtd {
    private static final String DISK = "iqn.2026-11.org.kiscsi.it:isns-disk";

    @BeforeClass
    public static void setUp() throws Exception {
        startPeers(DISK);
    }

    @Test
    public void discoverydLogsInToWhatIsnsdAnnouncesAndOutOfWhatItWithdraws() throws Exception {
        try (Isnsd isnsd = Isnsd.configure().start()) {
            try (FileNodeStore store = FileNodeStore.open(records.storeRoot())) {
                store.putDiscovery(new DiscoveryRecord(DiscoveryType.ISNS, Portal.of("127.0.0.1", isnsd.port()),
                        RecordValues.empty().with("discovery.isns.use_discoveryd", "Yes")));
            }
            Path config = records.storeRoot().resolve("isns/127.0.0.1," + isnsd.port() + "/isns_config");
            String text = Files.readString(config);
            assertTrue(text, text.contains("discovery.sendtargets.address = 127.0.0.1\n"));
            assertTrue(text, text.contains("discovery.sendtargets.port = " + isnsd.port() + "\n"));

            dist.startWithEngine();
            String initiator = records.initiatorName();
            assertTrue("the daemon registers by itself", UnpackedDistribution.waitFor(() -> isnsd.admin().list("nodes").stream()
                    .anyMatch(o -> o.get("iSCSI name").orElse("").equals(initiator)), 30));

            isnsd.admin().register("tgtd", portal(), List.of(DISK));
            TgtdSessions.awaitOne(tgtd, DISK, initiator);
            Result nodes = dist.bin("iscsiadm", "-m", "node");
            assertEquals(nodes.output(), 0, nodes.exit());
            assertTrue(nodes.output(), nodes.output().contains(portal() + ",1 " + DISK));

            isnsd.admin().deregister("iscsi-name=" + DISK);
            TgtdSessions.awaitNone(tgtd, DISK);
            assertTrue("the record stays: " + dist.bin("iscsiadm", "-m", "node").output(),
                    dist.bin("iscsiadm", "-m", "node").output().contains(DISK));
        }
    }

    /**
     * {@code iscsiadm -m discovery -t isns -p server:port} through the daemon's iSNS provider prints the
     * targets as open-iscsi prints a discovery (portal,tpgt name) and writes their records; a server
     * that is not there exits 17 (ISNS_UNAVAILABLE).
     */
    @Test
    public void iscsiadmDiscoversThroughIsnsdAndSaysWhenNoServerAnswers() throws Exception {
        try (Isnsd isnsd = Isnsd.configure().start()) {
            isnsd.admin().register("tgtd", portal(), List.of(DISK));
            dist.startWithEngine();
            Result found = dist.bin("iscsiadm", "-m", "discovery", "-t", "isns", "-p", "127.0.0.1:" + isnsd.port());
            assertEquals(found.output(), 0, found.exit());
            assertEquals(portal() + ",1 " + DISK + "\n", found.output());
            Result nodes = dist.bin("iscsiadm", "-m", "node");
            assertTrue(nodes.output(), nodes.output().contains(portal() + ",1 " + DISK));

            int closed = org.kiscsi.testkit.peers.FreePorts.pick(org.kiscsi.testkit.peers.Loopback.IPV4);
            Result none = dist.bin("iscsiadm", "-m", "discovery", "-t", "isns", "-p", "127.0.0.1:" + closed);
            assertEquals(none.output(), 17, none.exit());
            assertTrue(none.output(), none.output().contains("127.0.0.1:" + closed));
        }
    }
}
