package org.kiscsi.discovery.isns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiName;

/** Our SCN and ESI ports answer as RFC 4171 asks, and refuse what they do not serve. */
class IsnsCallbacksTest {
    private static final IscsiName ME = IscsiName.of("iqn.2026-11.org.kiscsi.test:me");

    @Test
    void scnIsAnsweredAndReportedEsiIsEchoedOthersAreRefused() throws Exception {
        CountDownLatch scns = new CountDownLatch(1);
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (IsnsCallbacks c = IsnsCallbacks.listen("test", ME, lo, 0, 0, scns::countDown)) {
            assertEquals(lo, c.address(), "bound to the address given, not the wildcard");
            try (Socket s = new Socket(lo, c.scnPort())) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                List<IsnsTlv> scn = List.of(IsnsTlv.string(IsnsTlv.ISCSI_NAME, ME.toString()), IsnsTlv.delimiter(),
                        IsnsTlv.u32(IsnsTlv.ISCSI_SCN_BITMAP, IsnsTlv.SCN_OBJECT_ADDED),
                        IsnsTlv.string(IsnsTlv.ISCSI_NAME, "iqn.2026-11.t:a"));
                out.write(IsnsPdu.request(IsnsPdu.SCN, IsnsPdu.F_SERVER, 5, scn).encode());
                IsnsPdu rsp = IsnsConnection.read(in);
                assertEquals(0x8008, rsp.function());
                assertEquals(5, rsp.xid());
                assertEquals(0, rsp.status());
                assertEquals(ME.toString(), rsp.attributes().get(0).asString());
                assertTrue(scns.await(5, TimeUnit.SECONDS));

                out.write(IsnsPdu.request(IsnsPdu.DEV_ATTR_QRY, IsnsPdu.F_SERVER, 6, List.of()).encode());
                assertEquals(15, IsnsConnection.read(in).status(), "Message Not Supported");
            }
            try (Socket s = new Socket(lo, c.esiPort())) {
                List<IsnsTlv> esi = List.of(IsnsTlv.string(IsnsTlv.ENTITY_IDENTIFIER, ME.toString()),
                        IsnsTlv.address(IsnsTlv.PORTAL_IP_ADDRESS, lo), IsnsTlv.u32(IsnsTlv.PORTAL_PORT, c.scnPort()));
                s.getOutputStream().write(IsnsPdu.request(IsnsPdu.ESI, IsnsPdu.F_SERVER, 9, esi).encode());
                IsnsPdu rsp = IsnsConnection.read(s.getInputStream());
                assertEquals(0x800d, rsp.function());
                assertEquals(0, rsp.status());
                assertEquals(esi, rsp.attributes(), "the inquiry's attributes echoed");

                // garbage: the connection is dropped, nothing answered
                s.getOutputStream().write(new byte[] {0, 1, 0, 0x42, 0, 0, 0, 0, 0, 1, 0, 0});
                assertThrows(EOFException.class, () -> IsnsConnection.read(s.getInputStream()));
            }
        }
    }
}
