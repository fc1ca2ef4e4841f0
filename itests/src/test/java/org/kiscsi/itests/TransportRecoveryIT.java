package org.kiscsi.itests;

import static org.junit.Assert.assertNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kiscsi.api.session.NodeRecordSource;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.Tgtd;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A live session outlives its transport: the TCP transport bundle is stopped, or updated, under a
 * session logged in to a tgtd of the test's own (started and stopped inside the container, one per
 * test). The session recovers (same sid, same ISID) once a {@code tcp} transport is back, and no
 * command in flight fails. The scenarios are {@link TransportHotSwap}'s, shared with every transport.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TransportRecoveryIT extends KiscsiTestSupport {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:transport-recovery";
    /** The record's own: Pax Exam's Karaf runs no bin/iscsid, so there is no initiatorname file. */
    private static final String INITIATOR = "iqn.2026-11.org.kiscsi.it:transport-recovery-initiator";
    private static final String TCP_BSN = "org.kiscsi.transport.tcp";
    private static final int LUN_BYTES = 16 << 20;
    /** Where the numbers of a run go (the container's stdout is not the build's). */
    private static final String REPORT_PROPERTY = "kiscsi.it.transport-recovery.report";

    @Inject
    SessionManager sessions;

    private Tgtd tgtd;
    private TransportHotSwap swap;

    @Configuration
    public Option[] config() {
        List<Option> o = new ArrayList<>(Arrays.asList(baseConfiguration()));
        o.add(CoreOptions.bundle(PeersBundle.build().toUri().toString()));
        o.add(CoreOptions.systemProperty(REPORT_PROPERTY).value(Path.of("target", "transport-recovery.txt").toAbsolutePath().toString()));
        return o.toArray(new Option[0]);
    }

    @Before
    public void startTgtd() {
        tgtd = Tgtd.start(Loopback.IPV4);
        tgtd.createTarget(IQN).allowAll().addLun(1, LunBacking.file(LUN_BYTES));
        swap = new TransportHotSwap(sessions, tgtd, IQN, INITIATOR, "tcp", () -> bundle(TCP_BSN),
                System.getProperty(REPORT_PROPERTY));
    }

    @After
    public void logOutAndStopTgtd() throws Exception {
        try {
            swap.cleanUp();
        } finally {
            if (tgtd != null) {
                tgtd.close();
            }
        }
    }

    @Test
    public void aSessionRecoversWhenTheTcpTransportBundleIsStoppedAndStartedAgain() throws Exception {
        assertNotNull("the daemon offers its node store as the engine's record source",
                bundleContext.getServiceReference(NodeRecordSource.class));
        swap.stopAndStartUnderASession();
    }

    @Test
    public void noCommandFailsWhenTheTcpTransportBundleIsUpdatedUnderLoad() throws Exception {
        swap.updateUnderLoad();
    }
}
