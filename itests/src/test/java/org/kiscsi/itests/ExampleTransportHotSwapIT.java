package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.Tgtd;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The vendor kit's example transport as a vendor would ship it: the feature
 * {@code kiscsi-transport-example} is installed into the running distribution (the TCP transport
 * stays), a record naming {@code iface.transport_name = nio} logs in to a tgtd of the test's own over
 * it, and its bundle is stopped and started, then updated under load, beneath the live session:
 * recovery brings the session back on {@code nio} each time and no command fails
 * ({@link TransportHotSwap}, the same scenarios the TCP transport passes).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExampleTransportHotSwapIT extends KiscsiTestSupport {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:example-transport";
    private static final String INITIATOR = "iqn.2026-11.org.kiscsi.it:example-transport-initiator";
    private static final String FEATURE = "kiscsi-transport-example";
    private static final String BSN = "org.kiscsi.transport.example";
    private static final String NAME = "nio";
    private static final String REPORT_PROPERTY = "kiscsi.it.example-transport.report";

    @Inject
    SessionManager sessions;

    @Inject
    FeaturesService features;

    private Tgtd tgtd;
    private TransportHotSwap swap;

    @Configuration
    public Option[] config() {
        List<Option> o = new ArrayList<>(Arrays.asList(baseConfiguration()));
        o.add(CoreOptions.bundle(PeersBundle.build().toUri().toString()));
        o.add(CoreOptions.systemProperty(REPORT_PROPERTY).value(Path.of("target", "example-transport.txt").toAbsolutePath().toString()));
        return o.toArray(new Option[0]);
    }

    @Before
    public void installTheFeatureAndStartTgtd() throws Exception {
        if (!features.isInstalled(features.getFeature(FEATURE))) {
            features.installFeature(FEATURE);
        }
        assertTrue("no transport named " + NAME + " registered after installing " + FEATURE,
                waitFor(() -> nioProviders() == 1, 30_000));
        tgtd = Tgtd.start(Loopback.IPV4);
        tgtd.createTarget(IQN).allowAll().addLun(1, LunBacking.file(16 << 20));
        swap = new TransportHotSwap(sessions, tgtd, IQN, INITIATOR, NAME, () -> bundle(BSN), System.getProperty(REPORT_PROPERTY));
    }

    @After
    public void logOutAndStopTgtd() throws Exception {
        try {
            if (swap != null) {
                swap.cleanUp();
            }
        } finally {
            if (tgtd != null) {
                tgtd.close();
            }
        }
    }

    private int nioProviders() {
        try {
            var refs = bundleContext.getServiceReferences(TransportProvider.class,
                    "(" + TransportProvider.NAME_PROPERTY + "=" + NAME + ")");
            return refs.size();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    public void theFeatureRegistersTheTransportBesideTcpFromItsOwnBundle() throws Exception {
        Bundle b = bundle(BSN);
        assertNotNull("bundle " + BSN + " is not installed", b);
        assertEquals(Bundle.ACTIVE, b.getState());
        var refs = bundleContext.getServiceReferences(TransportProvider.class, "(" + TransportProvider.NAME_PROPERTY + "=" + NAME + ")");
        assertEquals(b, refs.iterator().next().getBundle());
        assertEquals("tcp is still there", 1, bundleContext.getServiceReferences(TransportProvider.class,
                "(" + TransportProvider.NAME_PROPERTY + "=tcp)").size());
        String imports = b.getHeaders().get("Import-Package");
        assertTrue("the example imports no MINA: " + imports, !imports.contains("org.apache.mina"));
        assertTrue("the example imports nothing internal: " + imports, !imports.contains(".internal"));
    }

    @Test
    public void aSessionRecoversWhenTheExampleBundleIsStoppedAndStartedAgain() throws Exception {
        swap.stopAndStartUnderASession();
    }

    @Test
    public void noCommandFailsWhenTheExampleBundleIsUpdatedUnderLoad() throws Exception {
        swap.updateUnderLoad();
    }
}
