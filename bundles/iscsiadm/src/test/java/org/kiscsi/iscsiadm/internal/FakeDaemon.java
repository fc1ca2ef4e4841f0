package org.kiscsi.iscsiadm.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.kiscsi.mgmt.MgmtProtocol;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;

/** A stand-in daemon on a real unix socket, answering with the shared codec; records what it was asked. */
final class FakeDaemon implements AutoCloseable {
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final Thread thread;

    FakeDaemon(Path socket, Function<MgmtRequest, MgmtResponse> answer) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(() -> {
            while (server.isOpen()) {
                try (SocketChannel ch = server.accept()) {
                    MgmtRequest r = MgmtProtocol.readRequest(Channels.newInputStream(ch));
                    requests.add(r.op());
                    MgmtProtocol.writeResponse(answer.apply(r), Channels.newOutputStream(ch));
                } catch (IOException e) {
                    return;
                }
            }
        }, "fake-daemon");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(5_000);
    }
}
