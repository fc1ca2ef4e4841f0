package org.kiscsi.discovery.sendtargets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.discovery.DiscoveryApplier;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.auth.chap.ChapAuthenticatorFactory;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.discovery.DiscoveryContext;
import org.kiscsi.store.file.FileNodeStore;
import org.kiscsi.testkit.peers.ChapCredentials;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.OpenIscsiAdm;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * SendTargets against tgtd of this test's own, listening on 127.0.0.1 and [::1]: several targets,
 * one hidden from this initiator by its ACL; the records and links written to open-iscsi's layout
 * and read back by open-iscsi's own iscsiadm; discovery CHAP one-way and mutual.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SendTargetsTgtdIT {
    private static final String ME = "iqn.2026-11.org.kiscsi.it:st-initiator";
    private static final String T1 = "iqn.2026-11.org.kiscsi.it:st-one";
    private static final String T2 = "iqn.2026-11.org.kiscsi.it:st-two";
    private static final String HIDDEN = "iqn.2026-11.org.kiscsi.it:st-hidden";

    @TempDir
    Path dir;
    private Tgtd tgtd;
    private TcpTransport tcp;
    private IscsiEngine engine;

    @BeforeEach
    void setUp() {
        tgtd = Tgtd.start(Loopback.IPV4);
        tgtd.tgtadm().run("--op", "new", "--mode", "portal", "--param", "portal=" + Loopback.IPV6.hostPort(tgtd.port()));
        for (String iqn : List.of(T1, T2)) {
            tgtd.createTarget(iqn).allowAll().addLun(1, LunBacking.file(1 << 20));
        }
        tgtd.createTarget(HIDDEN).allowInitiator("iqn.2026-11.org.kiscsi.it:someone-else").addLun(1, LunBacking.file(1 << 20));
        tcp = new TcpTransport();
        engine = IscsiEngine.builder().initiatorName(ME).transport(tcp).authenticator(new ChapAuthenticatorFactory()).build();
    }

    @AfterEach
    void tearDown() {
        try {
            engine.close();
            tcp.close();
        } finally {
            tgtd.close();
        }
    }

    private DiscoveryRecord record() {
        return new DiscoveryRecord(DiscoveryType.SENDTARGETS, tgtd.portal().withoutTpgt(), RecordValues.empty()
                .with("discovery.sendtargets.auth.authmethod", "None")
                .with("discovery.sendtargets.timeo.login_timeout", "5"));
    }

    private CompletionStage<List<DiscoveredTarget>> discover(DiscoveryRecord r) {
        return new SendTargetsDiscovery().discover(r, new DiscoveryContext(IscsiName.of(ME), engine, Duration.ofSeconds(30)));
    }

    private static <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(40, TimeUnit.SECONDS);
    }

    @Test
    void everyVisibleTargetOfBothPortalsBecomesLinkedRecordsOpenIscsiReads() throws Exception {
        // tgtd answers with its portals of the discovery connection's address family
        DiscoveryRecord v4 = record();
        DiscoveryRecord v6 = new DiscoveryRecord(DiscoveryType.SENDTARGETS, Portal.of("::1", tgtd.port()), v4.values());
        Path etc = dir.resolve("iscsi");
        List<NodeKey> all = new java.util.ArrayList<>();
        for (DiscoveryRecord r : List.of(v4, v6)) {
            List<DiscoveredTarget> found = await(discover(r));
            assertEquals(List.of(T1, T2), found.stream().map(t -> t.name().value()).toList(), found.toString());
            for (DiscoveredTarget t : found) {
                assertEquals(List.of(Portal.of(r.address().address(), tgtd.port(), 1)), t.portals(), t.toString());
            }
            try (FileNodeStore store = FileNodeStore.open(etc)) {
                AppliedDiscovery applied = new DiscoveryApplier(store, RecordValues.empty(), k -> false).apply(r, found, Set.of(),
                        List.of());
                assertEquals(2, applied.found().size());
                all.addAll(applied.found());
            }
            Path source = etc.resolve("send_targets/" + r.address().address() + "," + tgtd.port());
            try (Stream<Path> links = Files.list(source)) {
                assertEquals(2, links.filter(Files::isSymbolicLink).count(), source.toString());
            }
        }

        OpenIscsiAdm oracle = OpenIscsiAdm.on(etc, Files.createDirectories(dir.resolve("scratch")));
        String nodes = oracle.ok("-m", "node");
        for (NodeKey k : all) {
            String line = (k.portal().isIpv6() ? "[" + k.portal().address() + "]" : k.portal().address()) + ":" + k.portal().port()
                    + ",1 " + k.target().value();
            assertTrue(nodes.contains(line), line + " missing in:\n" + nodes);
        }
        Map<String, String> shown = OpenIscsiAdm.parseShow(oracle.ok("-m", "node", "-T", T2, "-p", "[::1]:" + tgtd.port(),
                "-o", "show"));
        assertEquals("send_targets", shown.get("node.discovery_type"));
        assertEquals("::1", shown.get("node.discovery_address"));
        Map<String, String> st = OpenIscsiAdm.parseShow(oracle.ok("-m", "discoverydb", "-t", "st", "-p",
                "127.0.0.1:" + tgtd.port(), "-o", "show"));
        assertEquals("127.0.0.1", st.get("discovery.sendtargets.address"));
        assertEquals("5", st.get("discovery.sendtargets.timeo.login_timeout"));
        // open-iscsi deletes a discovery source's nodes through the links kiscsi made
        oracle.ok("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1:" + tgtd.port(), "-o", "delete");
        String left = oracle.ok("-m", "node");
        assertTrue(!left.contains("127.0.0.1:") && left.contains("[::1]:" + tgtd.port() + ",1 " + T1), left);
    }

    @Test
    void discoveryChapOneWayAndMutual() throws Exception {
        ChapCredentials initiator = new ChapCredentials("st-discovery-user", "st-discovery-secret");
        ChapCredentials target = new ChapCredentials("st-discovery-target", "st-target-secret2");
        tgtd.createAccount(initiator);
        tgtd.tgtadm().run("--op", "bind", "--mode", "account", "--user", initiator.user());
        DiscoveryRecord chap = record().with("discovery.sendtargets.auth.authmethod", "CHAP")
                .with("discovery.sendtargets.auth.username", initiator.user())
                .with("discovery.sendtargets.auth.password", initiator.secret());
        ExecutionException none = assertThrows(ExecutionException.class, () -> await(discover(record())));
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, assertInstanceOf(IscsiException.class, none.getCause()).error());
        assertEquals(2, await(discover(chap)).size());

        tgtd.createAccount(target);
        tgtd.tgtadm().run("--op", "bind", "--mode", "account", "--user", target.user(), "--outgoing");
        DiscoveryRecord mutual = chap.with("discovery.sendtargets.auth.username_in", target.user())
                .with("discovery.sendtargets.auth.password_in", target.secret());
        assertEquals(2, await(discover(mutual)).size());
        ExecutionException wrong = assertThrows(ExecutionException.class, () -> await(discover(
                mutual.with("discovery.sendtargets.auth.password_in", "not-the-target-secret"))));
        IscsiException e = assertInstanceOf(IscsiException.class, wrong.getCause());
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, e.error(), e.getMessage());
        assertTrue(!e.getMessage().contains("not-the-target-secret") && !e.getMessage().contains(initiator.secret()), e.getMessage());
    }
}
