package org.kiscsi.iscsid.internal.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.DaemonStatus;
import org.kiscsi.api.manage.DiscoverySettings;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.discovery.isns.IsnsDiscovery;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.store.file.FileNodeStore;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * iSNS discovery through the daemon's management service, against a server scripted byte by byte:
 * a refused registration fails 26, a bad query answer 25, each naming the server and writing
 * nothing; a good answer writes node records of discovery type isns.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IsnsDiscoveryServiceTest {
    static final String ME = "iqn.2026-11.org.kiscsi.test:isns-initiator";
    static final String T = "iqn.2026-11.org.kiscsi.test:isns-disk";

    @TempDir
    Path root;
    TcpTransport tcp;
    IscsiEngine engine;
    FileNodeStore store;
    IsnsDiscovery isns;
    final ExecutorService workers = Executors.newFixedThreadPool(2);
    ManagementService service;

    @BeforeEach
    void start() {
        tcp = new TcpTransport();
        engine = IscsiEngine.builder().initiatorName(ME).transport(tcp).build();
        store = FileNodeStore.open(root);
        isns = new IsnsDiscovery();
        service = new ManagementService(new ManageContext(() -> Optional.of(store), () -> Optional.of(engine), Optional::empty,
                type -> type == DiscoveryType.ISNS ? Optional.of(isns) : Optional.empty(), () -> Set.of("tcp"),
                () -> RecordValues.empty().with(NodeKeys.STARTUP, "manual"), type -> RecordValues.empty(), () -> ME,
                () -> new DaemonStatus(Map.of()), root, workers));
    }

    @AfterEach
    void stop() throws Exception {
        isns.close();
        engine.close();
        tcp.close();
        workers.shutdownNow();
        store.close();
    }

    /** A response PDU: header (flags: server, first, last), status, attributes as given. */
    static byte[] response(int function, int xid, int status, byte[] attributes) {
        return ByteBuffer.allocate(16 + attributes.length).putShort((short) 1).putShort((short) (function | 0x8000))
                .putShort((short) (4 + attributes.length)).putShort((short) 0x4c00).putShort((short) xid).putShort((short) 0)
                .putInt(status).put(attributes).array();
    }

    static byte[] tlv(int tag, byte[] value) {
        return ByteBuffer.allocate(8 + value.length).putInt(tag).putInt(value.length).put(value).array();
    }

    static byte[] string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(b, (b.length + 4) & ~3);
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Serves every connection: each request is answered with what {@code answer} gives for its function (with its xid). */
    static ServerSocket server(IntFunction<java.util.function.IntFunction<byte[]>> answer) throws IOException {
        ServerSocket ss = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    while (true) {
                        byte[] h = new byte[12];
                        in.readFully(h);
                        in.readFully(new byte[ByteBuffer.wrap(h).getShort(4) & 0xffff]);
                        int function = ByteBuffer.wrap(h).getShort(2) & 0xffff;
                        int xid = ByteBuffer.wrap(h).getShort(8) & 0xffff;
                        s.getOutputStream().write(answer.apply(function).apply(xid));
                    }
                } catch (IOException e) {
                    // that client is done
                }
            }
        }, "scripted-isns");
        t.setDaemon(true);
        t.start();
        return ss;
    }

    private void assertNothingWritten() {
        assertEquals(List.of(), store.nodes());
        assertEquals(List.of(), store.discoveries());
        assertTrue(!Files.exists(root.resolve("isns")) || root.resolve("isns").toFile().list().length == 0, "no iSNS files");
    }

    @Test
    void aRefusedRegistrationFails26NamingTheServerAndWritesNothing() throws Exception {
        try (ServerSocket ss = server(f -> xid -> response(f, xid, 8, new byte[0]))) {
            var e = ManageFixture.failure(service.discover(DiscoveryType.ISNS, Portal.of("127.0.0.1", ss.getLocalPort()),
                    DiscoverySettings.STORED, List.of(), Set.of()));
            assertEquals(IscsiError.ISNS_REG_FAILED, e.error());
            assertEquals(26, e.error().code());
            assertTrue(e.getMessage().contains("iSNS server 127.0.0.1:" + ss.getLocalPort() + ": DevAttrReg failed: status 8"),
                    e.getMessage());
            assertNothingWritten();
        }
    }

    @Test
    void aCutQueryAnswerFails25NamingTheServerAndWritesNothing() throws Exception {
        byte[] cut = concat(tlv(0, new byte[0]), tlv(32, string(T)), ByteBuffer.allocate(8).putInt(33).putInt(40).array());
        try (ServerSocket ss = server(f -> xid -> response(f, xid, 0, f == 0x0002 ? cut : new byte[0]))) {
            var e = ManageFixture.failure(service.discover(DiscoveryType.ISNS, Portal.of("127.0.0.1", ss.getLocalPort()),
                    DiscoverySettings.STORED, List.of(), Set.of()));
            assertEquals(IscsiError.ISNS_QUERY, e.error());
            assertEquals(25, e.error().code());
            assertTrue(e.getMessage().contains("iSNS server 127.0.0.1:" + ss.getLocalPort() + ": DevAttrQry: bad answer: "
                    + "DevAttrQryRsp: attribute 33 has length 40 but only 0 bytes follow"), e.getMessage());
            assertNothingWritten();
        }
    }

    /** A DevAttrQry answer naming target T at 127.0.0.1:3260, portal group 1. */
    private static byte[] goodAnswer() {
        byte[] lo = new byte[16];
        lo[10] = (byte) 0xff;
        lo[11] = (byte) 0xff;
        lo[12] = 127;
        lo[15] = 1;
        return concat(tlv(0, new byte[0]), tlv(32, string(T)), tlv(33, u32(1)), tlv(48, string(T)), tlv(49, lo),
                tlv(50, u32(3260)), tlv(51, u32(1)));
    }

    @Test
    void discoverydbDiscoverWritesTheServersRecordAndLinksTheNodesInIt() throws Exception {
        byte[] good = goodAnswer();
        try (ServerSocket ss = server(f -> xid -> response(f, xid, 0, f == 0x0002 ? good : new byte[0]))) {
            var applied = ManageFixture.await(service.discover(DiscoveryType.ISNS, Portal.of("127.0.0.1", ss.getLocalPort()),
                    DiscoverySettings.STORED, List.of(), Set.of()));
            assertEquals(1, applied.found().size(), applied.toString());
            var r = store.nodes().get(0);
            assertEquals(Portal.parse("127.0.0.1:3260,1"), r.portal());
            assertEquals(Optional.of("isns"), r.values().get(NodeKeys.DISCOVERY_TYPE));
            assertEquals(Optional.of(Integer.toString(ss.getLocalPort())), r.values().get(NodeKeys.DISCOVERY_PORT));
            // as 2.1.8's discoverydb --discover: the server's record, and the node's link in its directory
            assertEquals(1, store.discoveries().size());
            assertTrue(Files.isSymbolicLink(root.resolve("isns/127.0.0.1," + ss.getLocalPort()).resolve(T + ",127.0.0.1,3260,1,default")),
                    "the link in the server's directory");
        }
    }

    @Test
    void discoveryModeWritesNodeRecordsButNoRecordOfTheServer() throws Exception {
        byte[] good = goodAnswer();
        try (ServerSocket ss = server(f -> xid -> response(f, xid, 0, f == 0x0002 ? good : new byte[0]))) {
            var applied = ManageFixture.await(service.discover(DiscoveryType.ISNS, Portal.of("127.0.0.1", ss.getLocalPort()),
                    DiscoverySettings.ISCSID_CONF, List.of(), Set.of()));
            assertEquals(1, applied.found().size(), applied.toString());
            assertEquals(1, store.nodes().size());
            assertEquals(Optional.of("isns"), store.nodes().get(0).values().get(NodeKeys.DISCOVERY_TYPE));
            // as 2.1.8's -m discovery -t isns: no isns_config, the link in the old flat style
            assertEquals(List.of(), store.discoveries());
            assertTrue(Files.isSymbolicLink(root.resolve("isns").resolve(T + ",127.0.0.1,3260,1,default")),
                    "the flat link of a server with no record");
        }
    }
}
