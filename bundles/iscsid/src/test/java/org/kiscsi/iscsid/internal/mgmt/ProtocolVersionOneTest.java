package org.kiscsi.iscsid.internal.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.mgmt.ManagementEndpoint;
import org.kiscsi.mgmt.MgmtAnswer;
import org.kiscsi.mgmt.MgmtClient;
import org.kiscsi.mgmt.RemoteManagement;
import org.kiscsi.mgmt.v1peer.MgmtOp;
import org.kiscsi.mgmt.v1peer.MgmtProtocol;
import org.kiscsi.mgmt.v1peer.MgmtRequest;
import org.kiscsi.mgmt.v1peer.MgmtResponse;
import org.kiscsi.mgmt.v1peer.UnsupportedVersionException;

/** A client of protocol 1 as released talks to this daemon, and this client to a daemon of protocol 1. */
class ProtocolVersionOneTest {
    @TempDir
    Path dir;

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private MgmtServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        workers.shutdownNow();
    }

    private Path startNewDaemon() throws Exception {
        server = MgmtServer.bind(dir.resolve("run/iscsid.sock"), Duration.ofSeconds(2));
        ManagementEndpoint e = new ManagementEndpoint(new TestManagement())
                .handle("version", 1, (r, p) -> CompletableFuture.completedFuture(MgmtAnswer.of(
                        org.kiscsi.mgmt.MgmtResponse.ok("iscsid version 9", List.of(Map.of("iscsid.version", "9",
                                "mgmt.protocol.version", "2"))))))
                .handle("stop", 1, (r, p) -> CompletableFuture.completedFuture(MgmtAnswer.of(
                        org.kiscsi.mgmt.MgmtResponse.ok("iscsid is stopping", List.of(Map.of("iscsid.pid", "4242"))))));
        server.start(e, PeerCheck.rootAndOwnerOf(dir), workers, ServerLimits.defaults(Duration.ofSeconds(5)));
        return server.socket();
    }

    private static MgmtResponse v1(Path socket, MgmtOp op, Map<String, String> args) throws IOException {
        MgmtResponse r = new org.kiscsi.mgmt.v1peer.MgmtClient(socket, Duration.ofSeconds(5)).call(MgmtRequest.of(op, args));
        assertEquals(1, r.version(), "answered in the version asked");
        return r;
    }

    @Test
    void aVersionOneClientIsAnsweredAsVersionOneAnsweredIt() throws Exception {
        Path s = startNewDaemon();
        MgmtResponse status = v1(s, MgmtOp.STATUS, Map.of());
        assertEquals("iscsid is running", status.message());
        assertEquals(Map.of("iscsid.state", "running", "iscsid.pid", "4242"), status.rows().get(0));
        assertEquals("9", v1(s, MgmtOp.VERSION, Map.of()).rows().get(0).get("iscsid.version"));
        assertEquals("4242", v1(s, MgmtOp.STOP, Map.of()).rows().get(0).get("iscsid.pid"));

        MgmtResponse list = v1(s, MgmtOp.SESSION_LIST, Map.of());
        assertEquals("2 session(s)", list.message());
        assertEquals(List.of("sid", "target", "portal", "iface", "transport", "type", "state", "tsih"),
                List.copyOf(list.rows().get(0).keySet()));
        assertEquals(Map.of("sid", "7", "target", TestManagement.TARGET.value(), "portal", "127.0.0.1:3260,1",
                "iface", "default", "transport", "tcp", "type", "Normal", "state", "LOGGED_IN", "tsih", "5"), list.rows().get(0));

        // three records: one logged in (its session row), one failed (the answer's status), one up already (status row)
        MgmtResponse login = v1(s, MgmtOp.LOGIN, Map.of("target", TestManagement.TARGET.value()));
        assertEquals(IscsiError.TRANS_TIMEOUT.code(), login.status());
        assertEquals("connect to 127.0.0.2:3260 timed out", login.message());
        assertEquals("7", login.rows().get(0).get("sid"));
        assertEquals("15", login.rows().get(1).get("status"));
        assertEquals("eth1: 1 session requested, but 1 already present.", login.rows().get(1).get("message"));

        MgmtResponse logout = v1(s, MgmtOp.LOGOUT, Map.of("sid", "7"));
        assertEquals("logged out of 1 session(s)", logout.message());
        assertEquals("7", logout.rows().get(0).get("sid"));
        assertEquals(IscsiError.INVALID_MGMT_REQ.code(), new org.kiscsi.mgmt.v1peer.MgmtClient(s, Duration.ofSeconds(5))
                .call(new MgmtRequest(1, "node.list", Map.of())).status(), "a version-2 operation asked in version 1");
    }

    /** A daemon of protocol 1: version-1 frames only, a version-2 request answered with its 16 in a version-1 frame. */
    private Path startVersionOneDaemon(List<String> asked) throws Exception {
        Path sock = dir.resolve("v1.sock");
        ServerSocketChannel ss = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ss.bind(UnixDomainSocketAddress.of(sock));
        workers.execute(() -> {
            while (ss.isOpen()) {
                try (SocketChannel ch = ss.accept()) {
                    MgmtResponse answer;
                    try {
                        MgmtRequest r = MgmtProtocol.readRequest(Channels.newInputStream(ch));
                        asked.add(r.version() + " " + r.op() + " " + r.args());
                        Map<String, String> row = new LinkedHashMap<>();
                        row.put("sid", "3");
                        row.put("target", TestManagement.TARGET.value());
                        row.put("portal", "127.0.0.1:3260,1");
                        row.put("iface", "default");
                        row.put("transport", "tcp");
                        row.put("type", "Normal");
                        row.put("state", "LOGGED_IN");
                        row.put("tsih", "1");
                        answer = switch (r.op()) {
                            case "status" -> MgmtResponse.ok("iscsid is running", List.of(Map.of("iscsid.state", "running")));
                            case "session-list", "login", "logout" -> MgmtResponse.ok("ok", List.of(row));
                            default -> MgmtResponse.error(16, "unknown request '" + r.op() + "'");
                        };
                    } catch (UnsupportedVersionException e) {
                        asked.add("refused " + e.version());
                        answer = MgmtResponse.error(16, e.getMessage());
                    }
                    MgmtProtocol.writeResponse(answer, Channels.newOutputStream(ch));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return sock;
    }

    @Test
    void theNewClientFallsBackToAVersionOneDaemonAndRefusesWhatItLacks() throws Exception {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        Path sock = startVersionOneDaemon(asked);
        MgmtClient client = new MgmtClient(sock, Duration.ofSeconds(5));
        RemoteManagement m = new RemoteManagement(client);

        assertEquals("running", m.status().toCompletableFuture().get(5, TimeUnit.SECONDS).fields().get("iscsid.state"));
        assertEquals(List.of("refused 2", "1 status {}"), asked, "asked at 2, refused, asked again at 1");
        assertEquals(1, client.daemonVersion().orElseThrow());

        var sessions = m.sessions().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(3, sessions.get(0).info().sid());
        assertEquals(TestManagement.TARGET, sessions.get(0).info().node().target());
        NodeSelector sel = new NodeSelector(Optional.of(TestManagement.TARGET), Optional.empty(), List.of());
        List<Outcome<org.kiscsi.api.node.NodeKey>> login = m.login(sel, true).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(login.get(0).isOk());
        assertEquals("127.0.0.1:3260,1", login.get(0).subject().portal().toString());
        assertEquals(3, m.logoutSession(3).toCompletableFuture().get(5, TimeUnit.SECONDS).subject().sid());

        CompletionException e = assertThrows(CompletionException.class,
                () -> m.nodes(NodeSelector.ALL, false).toCompletableFuture().join());
        IscsiException i = (IscsiException) e.getCause();
        assertEquals(IscsiError.INVALID_MGMT_REQ, i.error());
        assertTrue(i.getMessage().contains("speaks management protocol 1..1; node.list needs 2"), i.getMessage());
    }
}
