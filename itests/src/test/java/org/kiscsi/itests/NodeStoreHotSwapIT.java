package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.spi.store.NodeStoreProvider;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Hot swap: a consumer of the node store SPI keeps running while the store-memory bundle is stopped,
 * uninstalled and installed again, sees the provider go and come back, and uses the new one —
 * without restarting Karaf or the consumer.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NodeStoreHotSwapIT extends KiscsiTestSupport {

    @Configuration
    public Option[] config() {
        return baseConfiguration();
    }

    /** A consumer the way kiscsi's own are written: it tracks providers dynamically and never assumes one. */
    static final class StoreConsumer implements ServiceTrackerCustomizer<NodeStoreProvider, NodeStoreProvider> {
        final List<String> events = new CopyOnWriteArrayList<>();
        private final org.osgi.framework.BundleContext bc;
        volatile NodeStoreProvider current;

        StoreConsumer(org.osgi.framework.BundleContext bc) {
            this.bc = bc;
        }

        @Override
        public NodeStoreProvider addingService(ServiceReference<NodeStoreProvider> ref) {
            NodeStoreProvider p = bc.getService(ref);
            if (!"memory".equals(ref.getProperty(NodeStoreProvider.NAME_PROPERTY))) {
                return p;
            }
            current = p;
            events.add("added");
            return p;
        }

        @Override
        public void modifiedService(ServiceReference<NodeStoreProvider> ref, NodeStoreProvider p) {
        }

        @Override
        public void removedService(ServiceReference<NodeStoreProvider> ref, NodeStoreProvider p) {
            if (p == current) {
                current = null;
                events.add("removed");
            }
            bc.ungetService(ref);
        }

        /** Uses the store when there is one: what the consumer's work looks like. */
        String roundTrip(String target) {
            NodeStoreProvider p = current;
            if (p == null) {
                return "no store";
            }
            try (NodeStore s = p.open(Path.of("/kiscsi-itest"))) {
                NodeRecord r = NodeRecord.create(new NodeKey(IscsiName.of(target), Portal.parse("127.0.0.1:3260,1"), null),
                        RecordValues.empty());
                s.putNode(r);
                return s.node(r.key()).map(x -> "ok").orElse("lost");
            }
        }
    }

    @Test
    public void consumerSurvivesStopUninstallReinstall() throws Exception {
        StoreConsumer consumer = new StoreConsumer(bundleContext);
        ServiceTracker<NodeStoreProvider, NodeStoreProvider> tracker =
                new ServiceTracker<>(bundleContext, NodeStoreProvider.class, consumer);
        tracker.open();
        try {
            assertTrue("memory store never appeared", waitFor(() -> consumer.current != null, 30_000));
            assertEquals("ok", consumer.roundTrip("iqn.2026-11.org.kiscsi:before"));
            NodeStoreProvider first = consumer.current;

            Bundle store = bundle("org.kiscsi.store.memory");
            assertNotNull(store);
            String location = store.getLocation();

            store.stop();
            assertTrue("consumer did not see the store go", waitFor(() -> consumer.current == null, 10_000));
            assertEquals("no store", consumer.roundTrip("iqn.2026-11.org.kiscsi:while-stopped"));

            store.start();
            assertTrue("consumer did not see the store come back", waitFor(() -> consumer.current != null, 10_000));
            assertEquals("ok", consumer.roundTrip("iqn.2026-11.org.kiscsi:after-start"));

            store.uninstall();
            assertTrue("consumer did not see the store go", waitFor(() -> consumer.current == null, 10_000));
            assertEquals("no store", consumer.roundTrip("iqn.2026-11.org.kiscsi:while-uninstalled"));

            Bundle again = bundleContext.installBundle(location);
            again.start();
            assertTrue("consumer did not see the reinstalled store", waitFor(() -> consumer.current != null, 10_000));
            assertNotEquals(store.getBundleId(), again.getBundleId());
            assertNotEquals(first, consumer.current);
            assertEquals("ok", consumer.roundTrip("iqn.2026-11.org.kiscsi:after-reinstall"));

            assertEquals(List.of("added", "removed", "added", "removed", "added"), consumer.events);
        } finally {
            tracker.close();
        }
    }
}
