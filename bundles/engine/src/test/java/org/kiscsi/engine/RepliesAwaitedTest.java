package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.engine.EngineFixture.INITIATOR;
import static org.kiscsi.engine.EngineFixture.await;
import static org.kiscsi.engine.EngineFixture.record;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.testkit.target.TestTarget;
import org.kiscsi.transport.tcp.TcpTransport;

/** The engine tells its transport how many replies are due, for the transport's receive batching. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RepliesAwaitedTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:disk";

    @Test
    void everyChangeInOutstandingCommandsReachesTheTransport() throws Exception {
        List<Integer> hints = new CopyOnWriteArrayList<>();
        try (TcpTransport tcp = new TcpTransport();
             IscsiEngine engine = IscsiEngine.builder().initiatorName(INITIATOR).transport(new Recording(tcp, hints)).build();
             TestTarget target = TestTarget.start(IQN, 1024)) {
            SessionInfo s = await(engine.login(record(IQN, target.portal())));
            ScsiTaskExecutor x = engine.executor(s.sid());
            await(x.execute(ScsiTask.read(0, Cdbs.read10(0, 1), ByteBuffer.allocate(512)))); // a unit attention may come first
            target.reorder(6); // answers only once six are in: the six are outstanding together
            hints.clear();
            List<CompletableFuture<ScsiResult>> reads = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                reads.add(x.execute(ScsiTask.read(0, Cdbs.read10(i, 1), ByteBuffer.allocate(512))).toCompletableFuture());
            }
            CompletableFuture.allOf(reads.toArray(new CompletableFuture[0])).get(20, TimeUnit.SECONDS);
            for (CompletableFuture<ScsiResult> r : reads) {
                assertTrue(r.get().isGood());
            }
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1, 0), hints, "replies awaited as commands went out and came back");
            await(engine.logout(s.sid()));
        }
    }

    /** The TCP transport, with every replies-awaited hint recorded on the way. */
    private record Recording(TransportProvider tcp, List<Integer> hints) implements TransportProvider {
        @Override
        public String name() {
            return tcp.name();
        }

        @Override
        public Set<TransportCapability> capabilities() {
            return tcp.capabilities();
        }

        @Override
        public CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener) {
            return tcp.connect(request, listener).thenApply(c -> hinted(c, hints));
        }
    }

    /** The connection, with every replies-awaited hint recorded before it is passed on. */
    private static TransportConnection hinted(TransportConnection c, List<Integer> hints) {
        return (TransportConnection) Proxy.newProxyInstance(TransportConnection.class.getClassLoader(),
                new Class<?>[] {TransportConnection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("repliesAwaited")) {
                        hints.add((Integer) args[0]);
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
