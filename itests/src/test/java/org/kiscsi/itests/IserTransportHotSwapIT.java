package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import org.kiscsi.api.Portal;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.transport.iser.soft.SoftFabric;
import org.kiscsi.transport.iser.testtarget.IserTestTarget;
import org.kiscsi.transport.iser.verbs.Verbs;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

/**
 * The iSER transport as the distribution ships it: the feature {@code kiscsi-transport-iser} is
 * installed into the running distribution. With no RDMA device here its libibverbs binding
 * registers no {@code Verbs} service, so no {@code iser} transport appears and TCP is untouched.
 * The test then registers a {@code Verbs} service of the software provider and starts the iSER
 * test target on the same software fabric: a record naming {@code iface.transport_name = iser}
 * logs in over it, and the iser bundle is stopped and started, or updated under reads and writes, beneath
 * the live session: recovery brings the session back on {@code iser} ({@link TransportHotSwap}'s
 * scenarios, as tcp and nio pass them).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IserTransportHotSwapIT extends KiscsiTestSupport {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:iser-transport";
    private static final String INITIATOR = "iqn.2026-11.org.kiscsi.it:iser-transport-initiator";
    private static final String FEATURE = "kiscsi-transport-iser";
    private static final String BSN = "org.kiscsi.transport.iser";
    private static final String NAME = "iser";
    private static final String REPORT_PROPERTY = "kiscsi.it.iser-transport.report";
    private static final String TARGET_BUNDLE_PROPERTY = "kiscsi.it.iser-target.bundle";
    private static final String TARGET_BSN = "org.kiscsi.itests.iser-target";

    @Inject
    SessionManager sessions;

    @Inject
    FeaturesService features;

    private Rig rig;
    private TransportHotSwap swap;

    /**
     * The software fabric, its Verbs service and the iSER test target. A class of its own: it names
     * classes of the iser bundle and of the target bundle, which are installed only once the test runs.
     */
    private static final class Rig implements AutoCloseable {
        static final String DEVICE = "soft0";
        final SoftFabric fabric = new SoftFabric();
        final IserTestTarget target;
        final ServiceRegistration<Verbs> verbs;

        Rig(org.osgi.framework.BundleContext context) throws Exception {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            target = new IserTestTarget(fabric, new InetSocketAddress(loopback, 3260), IQN, 16384);
            verbs = context.registerService(Verbs.class, fabric.verbs(DEVICE, loopback), null);
        }

        TransportHotSwap.Target asTarget() {
            Portal portal = target.portal();
            return new TransportHotSwap.Target() {
                @Override
                public Portal portal() {
                    return portal;
                }

                @Override
                public long lun() {
                    return 0;
                }

                @Override
                public List<String> nexusInitiators() {
                    return target.liveInitiators();
                }
            };
        }

        @Override
        public void close() {
            verbs.unregister();
            target.close();
            fabric.close();
        }
    }

    @Configuration
    public Option[] config() {
        List<Option> o = new ArrayList<>(Arrays.asList(baseConfiguration()));
        // installed by the test once the feature brought the iser bundle it imports from
        o.add(CoreOptions.systemProperty(TARGET_BUNDLE_PROPERTY).value(IserTargetBundle.build().toUri().toString()));
        o.add(CoreOptions.systemProperty(REPORT_PROPERTY).value(Path.of("target", "iser-transport.txt").toAbsolutePath().toString()));
        return o.toArray(new Option[0]);
    }

    @Before
    public void installTheFeatureAndStartTheTarget() throws Exception {
        if (!features.isInstalled(features.getFeature(FEATURE))) {
            features.installFeature(FEATURE);
        }
        assertTrue("bundle " + BSN + " is not active after installing " + FEATURE,
                waitFor(() -> bundle(BSN) != null && bundle(BSN).getState() == Bundle.ACTIVE, 30_000));
        if (bundle(TARGET_BSN) == null) {
            bundleContext.installBundle(System.getProperty(TARGET_BUNDLE_PROPERTY)).start();
        }
        rig = new Rig(bundleContext);
        assertTrue("no transport named " + NAME + " once a Verbs service is there", waitFor(() -> providers(NAME) == 1, 30_000));
        swap = new TransportHotSwap(sessions, rig.asTarget(), IQN, INITIATOR, NAME, () -> bundle(BSN),
                System.getProperty(REPORT_PROPERTY));
    }

    @After
    public void logOutAndStopTheTarget() throws Exception {
        try {
            if (swap != null) {
                swap.cleanUp();
            }
        } finally {
            if (rig != null) {
                rig.close();
            }
        }
    }

    private int providers(String name) {
        try {
            return bundleContext.getServiceReferences(TransportProvider.class, "(" + TransportProvider.NAME_PROPERTY + "=" + name + ")")
                    .size();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    public void withoutAnRdmaDeviceTheFeatureRegistersNoVerbsOfItsOwnAndTcpStays() throws Exception {
        Bundle b = bundle(BSN);
        assertNotNull(b);
        assertTrue("the bundle carries the JNI shim for Linux x86-64, optional elsewhere: " + b.getHeaders().get("Bundle-NativeCode"),
                b.getHeaders().get("Bundle-NativeCode").endsWith(", *"));
        var all = bundleContext.getServiceReferences(Verbs.class, null);
        assertEquals("only the test's software Verbs service: the libibverbs binding found no device", 1, all.size());
        assertEquals(bundleContext.getBundle(), all.iterator().next().getBundle());
        assertEquals("tcp is still there", 1, providers("tcp"));
        assertEquals(b, bundleContext.getServiceReferences(TransportProvider.class,
                "(" + TransportProvider.NAME_PROPERTY + "=" + NAME + ")").iterator().next().getBundle());
    }

    @Test
    public void aSessionOverIserRecoversWhenTheIserBundleIsStoppedAndStartedAgain() throws Exception {
        swap.stopAndStartUnderASession();
        IserTestTarget t = rig.target;
        assertTrue("the target saw a second login (the recovery): " + t.logins.get(), t.logins.get() >= 2);
        // read data comes by RDMA Write; write data of these block-sized writes goes as immediate data by Send
        assertTrue("reads moved by RDMA, writes' data reached the target", t.rdmaWrites.get() > 0
                && t.rdmaReads.get() + t.immediateBytes.get() + t.dataOutPdus.get() > 0);
    }

    /**
     * Reads and writes run through a session on iser while the iser bundle is updated: no command fails
     * (those in flight go again once the session is back), every block reads back what was written
     * last, and the connections the old bundle had leave no memory registration behind on the device.
     */
    @Test
    public void noCommandFailsWhenTheIserBundleIsUpdatedUnderLoad() throws Exception {
        swap.updateUnderLoad();
        IserTestTarget t = rig.target;
        assertTrue("the target saw a second login (the recovery): " + t.logins.get(), t.logins.get() >= 2);
        // read data comes by RDMA Write; write data of these block-sized writes goes as immediate data by Send
        assertTrue("reads moved by RDMA, writes' data reached the target", t.rdmaWrites.get() > 0
                && t.rdmaReads.get() + t.immediateBytes.get() + t.dataOutPdus.get() > 0);
        assertTrue("registrations left on the initiator's device, per protection domain (one per connection): "
                + rig.fabric.registrationsByDomain(Rig.DEVICE), waitFor(() -> rig.fabric.registrationsByDomain(Rig.DEVICE).size() == 1,
                        10_000));
    }
}
