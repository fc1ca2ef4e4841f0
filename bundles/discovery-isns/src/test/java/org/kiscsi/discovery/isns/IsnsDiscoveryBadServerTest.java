package org.kiscsi.discovery.isns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.discovery.DiscoveryContext;

/** Servers that answer wrongly or not at all: each fails naming the server and what was wrong. */
class IsnsDiscoveryBadServerTest {
    private static final DiscoveryContext CONTEXT = new DiscoveryContext(IscsiName.of("iqn.2026-11.org.kiscsi.test:me"), null,
            Duration.ofMillis(700));

    /** A one-connection server: reads one request header and payload, then does what {@code answer} says. */
    private static IscsiException against(BiConsumer<byte[], OutputStream> answer) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = ss.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] h = new byte[12];
                    in.readFully(h);
                    in.readFully(new byte[ByteBuffer.wrap(h).getShort(4) & 0xffff]);
                    answer.accept(h, s.getOutputStream());
                    Thread.sleep(1500);
                } catch (IOException | InterruptedException | RuntimeException e) {
                    // the test is over
                }
            });
            t.setDaemon(true);
            t.start();
            DiscoveryRecord r = new DiscoveryRecord(DiscoveryType.ISNS, Portal.of("127.0.0.1", ss.getLocalPort()), RecordValues.empty());
            IsnsDiscovery isns = new IsnsDiscovery();
            try {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> isns.discover(r, CONTEXT).toCompletableFuture().get(5, TimeUnit.SECONDS));
                IscsiException x = (IscsiException) e.getCause();
                assertTrue(x.getMessage().contains("iSNS server 127.0.0.1:" + ss.getLocalPort()), x.getMessage());
                return x;
            } finally {
                isns.close();
            }
        }
    }

    private static void write(OutputStream out, byte[] b) {
        try {
            out.write(b);
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void silentServerIsUnavailable() throws Exception {
        IscsiException x = against((h, out) -> { });
        assertEquals(IscsiError.ISNS_UNAVAILABLE, x.error());
        assertTrue(x.getMessage().contains("DevAttrReg: no answer within"), x.getMessage());
    }

    @Test
    void truncatedAttributeFailsTheRegistration() throws Exception {
        IscsiException x = against((h, out) -> write(out, ByteBuffer.allocate(12 + 12).putShort((short) 1).putShort((short) 0x8001)
                .putShort((short) 12).putShort((short) 0x4c00).putShort(ByteBuffer.wrap(h).getShort(8)).putShort((short) 0)
                .putInt(0).putInt(32).putInt(40).array()));
        assertEquals(IscsiError.ISNS_REG_FAILED, x.error());
        assertTrue(x.getMessage().contains("attribute 32 has length 40 but only 0 bytes follow"), x.getMessage());
    }

    @Test
    void unknownFunctionIsRefused() throws Exception {
        IscsiException x = against((h, out) -> write(out, ByteBuffer.allocate(16).putShort((short) 1).putShort((short) 0x8077)
                .putShort((short) 4).putShort((short) 0x4c00).putShort(ByteBuffer.wrap(h).getShort(8)).putShort((short) 0).putInt(0)
                .array()));
        assertTrue(x.getMessage().contains("unknown function 0x0077"), x.getMessage());
    }

    @Test
    void refusedRegistrationNamesTheStatus() throws Exception {
        IscsiException x = against((h, out) -> write(out, ByteBuffer.allocate(16).putShort((short) 1).putShort((short) 0x8001)
                .putShort((short) 4).putShort((short) 0x4c00).putShort(ByteBuffer.wrap(h).getShort(8)).putShort((short) 0).putInt(8)
                .array()));
        assertEquals(IscsiError.ISNS_REG_FAILED, x.error());
        assertTrue(x.getMessage().contains("status 8 (Source Unauthorized)"), x.getMessage());
    }

    @Test
    void closedConnectionAndNoServerAreUnavailable() throws Exception {
        assertEquals(IscsiError.ISNS_UNAVAILABLE, against((h, out) -> {
            throw new java.io.UncheckedIOException(new IOException("closing"));
        }).error());
        int free;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = ss.getLocalPort();
        }
        DiscoveryRecord r = new DiscoveryRecord(DiscoveryType.ISNS, Portal.of("127.0.0.1", free), RecordValues.empty());
        IsnsDiscovery isns = new IsnsDiscovery();
        ExecutionException e = assertThrows(ExecutionException.class, () -> isns.discover(r, CONTEXT).toCompletableFuture().get(5,
                TimeUnit.SECONDS));
        assertEquals(IscsiError.ISNS_UNAVAILABLE, ((IscsiException) e.getCause()).error());
        assertTrue(e.getCause().getMessage().contains("127.0.0.1:" + free + ": cannot connect"), e.getCause().getMessage());
        isns.close();
    }
}
