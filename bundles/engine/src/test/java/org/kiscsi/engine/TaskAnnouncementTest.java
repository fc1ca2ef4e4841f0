package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.engine.EngineFixture.INITIATOR;
import static org.kiscsi.engine.EngineFixture.await;
import static org.kiscsi.engine.EngineFixture.record;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

/**
 * Task buffers are announced only to a transport that asks for them (TASK_BUFFERS): the others pay
 * nothing per command.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskAnnouncementTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:disk";

    @Test
    void aTransportAskingForTaskBuffersHearsOfEveryTaskAndItsEnd() throws Exception {
        List<String> calls = run(true);
        assertEquals(List.of("taskStarted", "taskEnded", "taskStarted", "taskEnded", "taskStarted", "taskEnded"),
                calls.subList(calls.size() - 6, calls.size()), "three reads announced and ended");
    }

    @Test
    void aTransportNotAskingHearsNothingPerTask() throws Exception {
        assertTrue(run(false).isEmpty(), "no per-task calls without TASK_BUFFERS");
    }

    private static List<String> run(boolean wantsBuffers) throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        try (TcpTransport tcp = new TcpTransport();
             IscsiEngine engine = IscsiEngine.builder().initiatorName(INITIATOR)
                     .transport(new Recording(tcp, wantsBuffers, calls)).build();
             TestTarget target = TestTarget.start(IQN, 1024)) {
            SessionInfo s = await(engine.login(record(IQN, target.portal())));
            ScsiTaskExecutor x = engine.executor(s.sid());
            await(x.execute(ScsiTask.read(0, Cdbs.read10(0, 1), ByteBuffer.allocate(512)))); // a unit attention may come first
            calls.clear();
            for (int i = 0; i < 3; i++) {
                assertTrue(await(x.execute(ScsiTask.read(0, Cdbs.read10(i, 1), ByteBuffer.allocate(512)))).isGood());
            }
            await(engine.logout(s.sid()));
        }
        return calls;
    }

    /** TCP, declaring TASK_BUFFERS or not, with the per-task calls recorded. */
    private record Recording(TransportProvider tcp, boolean wantsBuffers, List<String> calls) implements TransportProvider {
        @Override
        public String name() {
            return tcp.name();
        }

        @Override
        public Set<TransportCapability> capabilities() {
            Set<TransportCapability> caps = EnumSet.copyOf(tcp.capabilities());
            if (wantsBuffers) {
                caps.add(TransportCapability.TASK_BUFFERS);
            }
            return caps;
        }

        @Override
        public CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener) {
            return tcp.connect(request, listener).thenApply(c -> (TransportConnection) Proxy.newProxyInstance(
                    TransportConnection.class.getClassLoader(), new Class<?>[] {TransportConnection.class},
                    (proxy, method, args) -> {
                        if (method.getName().startsWith("task")) {
                            calls.add(method.getName());
                        }
                        try {
                            return method.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }));
        }
    }
}
