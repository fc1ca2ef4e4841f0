package org.kiscsi.discovery.isns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.discovery.DiscoveryContext;
import org.kiscsi.spi.discovery.DiscoveryListener;
import org.kiscsi.spi.discovery.DiscoveryWatch;
import org.kiscsi.testkit.peers.Command;
import org.kiscsi.testkit.peers.Commands;
import org.kiscsi.testkit.peers.FreePorts;
import org.kiscsi.testkit.peers.IsnsObject;
import org.kiscsi.testkit.peers.Isnsd;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.Tool;
import org.kiscsi.testkit.peers.Tshark;
import org.kiscsi.testkit.peers.TsharkCapture;

/** iSNS discovery against open-isns' isnsd on loopback, targets registered with isnsadm. */
class IsnsdIT {
    private static final IscsiName ME = IscsiName.of("iqn.2026-11.org.kiscsi.test:initiator");
    private static final String T1 = "iqn.2026-11.org.kiscsi.test:disk1";
    private static final String T2 = "iqn.2026-11.org.kiscsi.test:disk2";
    private static final DiscoveryContext CONTEXT = new DiscoveryContext(ME, null, Duration.ofSeconds(5));

    /** Records what a watch reports. */
    static final class Heard implements DiscoveryListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile List<DiscoveredTarget> now = List.of();
        volatile int reports;

        @Override
        public void changed(List<DiscoveredTarget> added, List<DiscoveredTarget> removed, List<DiscoveredTarget> current) {
            added.forEach(t -> events.add("+" + t.name()));
            removed.forEach(t -> events.add("-" + t.name()));
            now = current;
            reports++;
        }

        @Override
        public void failed(IscsiException cause) {
            events.add("!" + cause.error());
        }

        Set<String> names() {
            return now.stream().map(t -> t.name().toString()).collect(Collectors.toSet());
        }
    }

    private static DiscoveryRecord record(Isnsd isnsd) {
        return new DiscoveryRecord(DiscoveryType.ISNS, Portal.of("127.0.0.1", isnsd.port()), RecordValues.empty());
    }

    private static void await(String what, Duration limit, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Whether isnsd holds our node now. */
    private static boolean registered(Isnsd isnsd) {
        return isnsd.admin().list("nodes").stream().anyMatch(o -> o.get("iSCSI name").orElse("").equals(ME.toString()));
    }

    /** {@code tshark -r pcap -d tcp.port==N,isns ... -Y filter -T fields -e isns.functionid}: one line per frame. */
    private static List<String> isnsFrames(Path pcap, String filter, int... ports) {
        List<String> args = new ArrayList<>(List.of("-r", pcap.toString(), "-n"));
        for (int p : ports) {
            args.addAll(List.of("-d", "tcp.port==" + p + ",isns"));
        }
        args.addAll(List.of("-Y", filter, "-T", "fields", "-e", "isns.functionid"));
        String out = Commands.check(Command.of(Tool.TSHARK.path(), args).withTimeout(Duration.ofSeconds(60))).stdout();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void oneShotDiscoveryListsRegisteredTargetsWithTheirPortalGroups() throws Exception {
        try (Isnsd isnsd = Isnsd.configure().start()) {
            isnsd.admin().register("ent1", "127.0.0.1:3260", List.of(T1, T2));
            IsnsDiscovery isns = new IsnsDiscovery();
            try {
                List<DiscoveredTarget> found = isns.discover(record(isnsd), CONTEXT).toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertEquals(Set.of(T1, T2), found.stream().map(t -> t.name().toString()).collect(Collectors.toSet()));
                for (DiscoveredTarget t : found) {
                    assertEquals(List.of(Portal.of("127.0.0.1", 3260, 1)), t.portals());
                }
                assertFalse(registered(isnsd), "a one-shot discovery deregisters");
            } finally {
                isns.close();
            }
        }
    }

    /**
     * isnsd builds each answer in 8 KiB: the DevAttrQry of all of 120 targets does not fit (Internal
     * Error), so they are walked with DevGetNext and queried one by one; a watch lists them the same way.
     */
    @Test
    void manyTargetsAreListedWithDevGetNextWhereTheServerCannotAnswerAllAtOnce() throws Exception {
        int count = 120;
        Set<String> names = new java.util.TreeSet<>();
        try (Isnsd isnsd = Isnsd.configure().start()) {
            for (int e = 0; e < count / 20; e++) {
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    batch.add(String.format("iqn.2026-11.org.kiscsi.test:many-%03d", e * 20 + i));
                }
                isnsd.admin().register("many" + e, "127.0.0.1:" + (3300 + e), batch);
                names.addAll(batch);
            }
            IsnsDiscovery isns = new IsnsDiscovery();
            Heard heard = new Heard();
            try (TsharkCapture cap = Tshark.capture(isnsd.port())) {
                List<DiscoveredTarget> found = isns.discover(record(isnsd), CONTEXT).toCompletableFuture().get(60, TimeUnit.SECONDS);
                assertEquals(names, found.stream().map(t -> t.name().toString()).collect(Collectors.toCollection(java.util.TreeSet::new)));
                for (DiscoveredTarget t : found) {
                    int n = Integer.parseInt(t.name().toString().substring(t.name().toString().length() - 3));
                    assertEquals(List.of(Portal.of("127.0.0.1", 3300 + n / 20, 1)), t.portals(), t.name().toString());
                }
                try (DiscoveryWatch w = isns.watch(record(isnsd), CONTEXT, heard)) {
                    await("the watch's first list", Duration.ofSeconds(60), () -> heard.names().size() == count);
                }
                Path pcap = cap.stop();
                assertFalse(isnsFrames(pcap, "isns.functionid == 0x8002 && isns.errorcode == 11", isnsd.port()).isEmpty(),
                        "isnsd's Internal Error to the whole DevAttrQry");
                assertTrue(isnsFrames(pcap, "isns.functionid == 0x0003", isnsd.port()).size() >= 2 * (count + 1),
                        "a DevGetNext per target and one past the last, for the discovery and for the watch");
                assertEquals(List.of(), isnsFrames(pcap, "_ws.malformed || _ws.expert.severity >= error", isnsd.port()),
                        "malformed iSNS frames");
            } finally {
                isns.close();
            }
        }
    }

    @Test
    void scnReportsTargetsAddedAndRemovedAndTsharkDecodesTheExchange() throws Exception {
        try (Isnsd isnsd = Isnsd.configure().start()) {
            int scn = FreePorts.pick(Loopback.IPV4);
            int esi = FreePorts.pick(Loopback.IPV4);
            IsnsDiscovery isns = new IsnsDiscovery(Optional.empty(), scn, esi);
            Heard heard = new Heard();
            try (TsharkCapture cap = Tshark.capture(isnsd.port(), isnsd.port(), scn, esi)) {
                DiscoveryWatch w = isns.watch(record(isnsd), CONTEXT, heard);
                await("registered", Duration.ofSeconds(10), () -> registered(isnsd));
                IsnsObject portal = isnsd.admin().query("iscsi-name=" + ME).stream()
                        .filter(o -> o.get("SCN port").isPresent()).findFirst().orElseThrow();
                assertEquals(scn + "/tcp", portal.get("SCN port").orElseThrow());
                assertEquals("127.0.0.1", portal.get("Portal IP address").orElseThrow(), "never the wildcard");

                long before = System.nanoTime();
                isnsd.admin().register("ent1", "127.0.0.1:3260", List.of(T1));
                await("the new target reported", Duration.ofSeconds(5), () -> heard.names().contains(T1));
                assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(5));
                assertTrue(heard.events.contains("+" + T1), heard.events.toString());

                isnsd.admin().deregister("iscsi-name=" + T1);
                await("the target reported gone", Duration.ofSeconds(5), () -> heard.events.contains("-" + T1));
                assertEquals(List.of(), w.current());

                w.close();
                assertFalse(registered(isnsd), "closing the watch deregisters");
                Path pcap = cap.stop();
                // 0x0008 SCN from isnsd to our SCN port, 0x8008 SCNRsp back
                assertFalse(isnsFrames(pcap, "isns.functionid == 0x0008 && tcp.dstport == " + scn, isnsd.port(), scn, esi).isEmpty(), "SCN seen");
                assertFalse(isnsFrames(pcap, "isns.functionid == 0x8008 && tcp.srcport == " + scn, isnsd.port(), scn, esi).isEmpty(), "SCNRsp seen");
                assertFalse(isnsFrames(pcap, "isns.functionid == 0x0004", isnsd.port(), scn, esi).isEmpty(), "DevDereg seen");
                assertEquals(List.of(), isnsFrames(pcap, "_ws.malformed || _ws.expert.severity >= error", isnsd.port(), scn, esi),
                        "malformed iSNS frames");
            } finally {
                isns.close();
            }
        }
    }

    @Test
    void discoveryDomainsLimitWhatWeSee() throws Exception {
        try (Isnsd isnsd = Isnsd.configure().withDefaultDiscoveryDomain(false).start()) {
            isnsd.admin().register("ent1", "127.0.0.1:3260", List.of(T1, T2));
            IsnsDiscovery isns = new IsnsDiscovery();
            Heard heard = new Heard();
            try (DiscoveryWatch w = isns.watch(record(isnsd), CONTEXT, heard)) {
                // outside any domain we see nothing (and isnsadm, in none, cannot list us)
                await("the first answer", Duration.ofSeconds(10), () -> heard.reports > 0);
                assertEquals(Set.of(), heard.names());
                isnsd.admin().run("--dd-register", "dd-name=kiscsi", "member-name=" + ME, "member-name=" + T1)
                        .requireSuccess("isnsadm --dd-register");
                await("the domain's target", Duration.ofSeconds(5), () -> heard.names().contains(T1));
                Thread.sleep(500);
                assertEquals(Set.of(T1), heard.names(), heard.events.toString());
            } finally {
                isns.close();
            }
        }
    }

    @Test
    void refreshesBeforeTheRegistrationPeriodEndsAndRegistersAgainAfterARestart() throws Exception {
        try (Isnsd isnsd = Isnsd.configure().withRegistrationPeriod(Duration.ofSeconds(4)).start()) {
            IsnsDiscovery isns = new IsnsDiscovery();
            Heard heard = new Heard();
            try (TsharkCapture cap = Tshark.capture(isnsd.port());
                    DiscoveryWatch w = isns.watch(record(isnsd), CONTEXT, heard)) {
                await("registered", Duration.ofSeconds(10), () -> registered(isnsd));
                Thread.sleep(9000); // more than two periods
                assertTrue(registered(isnsd), "still registered after two periods");
                assertTrue(isnsFrames(cap.stop(), "isns.functionid == 0x0001", isnsd.port()).size() >= 3, "refreshing DevAttrReg seen");

                isnsd.kill();
                isnsd.restart();
                isnsd.admin().register("ent1", "127.0.0.1:3260", List.of(T2));
                // the restarted isnsd's database is empty (in memory): only our own registration puts us back,
                // and that may already have happened here (we refresh every half period)
                await("registered again by ourselves", Duration.ofSeconds(5), () -> registered(isnsd));
                await("the target after the restart", Duration.ofSeconds(5), () -> heard.names().contains(T2));
                assertTrue(heard.events.contains("!" + IscsiError.ISNS_UNAVAILABLE) || heard.events.contains("+" + T2),
                        heard.events.toString());
            } finally {
                isns.close();
            }
        }
    }
}
