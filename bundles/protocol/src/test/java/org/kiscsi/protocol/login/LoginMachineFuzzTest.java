package org.kiscsi.protocol.login;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.protocol.PduStream;
import org.kiscsi.protocol.pdu.Fuzzing;
import org.kiscsi.protocol.pdu.LoginResponse;
import org.kiscsi.protocol.pdu.PduCodec;
import org.kiscsi.protocol.pdu.TargetPdu;
import org.kiscsi.protocol.text.SessionOffers;

/**
 * The login state machine fed whatever a target answers: each Login Response either moves the login
 * on (a request to send, the login done, a redirection) or fails it with an {@link IscsiException}
 * that says why; nothing else escapes, and a login never takes more than a bounded number of steps.
 */
class LoginMachineFuzzTest {
    static final long ISID = 0x800000123456L;
    static final int ITT = 0x1000;

    /**
     * Input: byte 0 bit 0 writes our ITT and ISID into each response (so the fuzzer reaches the stages
     * behind those checks), bit 1 makes it a discovery session; the rest is the target's stream of PDUs.
     */
    @FuzzTest(maxDuration = "30s")
    void responses(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        boolean patch = (input[0] & 1) != 0;
        boolean discovery = (input[0] & 2) != 0;
        LoginParameters p = new LoginParameters("iqn.2026-11.org.kiscsi:initiator", null,
                discovery ? null : "iqn.2026-11.org.kiscsi:target", discovery ? SessionType.DISCOVERY : SessionType.NORMAL,
                ISID, 0, 1, ITT, 7, List.of("None"),
                discovery ? SessionOffers.discovery(RecordValues.empty()) : SessionOffers.normal(RecordValues.empty()), 0, "fuzz");
        LoginMachine m = new LoginMachine(p, AuthenticatorSource.NONE);
        m.start();
        PduStream stream = new PduStream("fuzz");
        InputStream in = new ByteArrayInputStream(Arrays.copyOfRange(input, 1, input.length));
        try {
            PduStream.Frame f;
            for (int steps = 0; (f = stream.read(in)) != null; steps++) {
                if (steps > 1000) {
                    throw new AssertionError("login still going after 1000 responses");
                }
                if (patch && f.header().limit() >= 48) {
                    ByteBuffer h = f.header();
                    h.putShort(8, (short) (ISID >>> 32)).putInt(10, (int) ISID).putInt(16, ITT);
                }
                TargetPdu pdu = PduCodec.decodeTargetPdu(f.header(), f.data());
                if (!(pdu instanceof LoginResponse r)) {
                    continue;
                }
                LoginStep step = m.receive(r);
                if (step instanceof LoginStep.Done || step instanceof LoginStep.Redirect) {
                    return;
                }
            }
        } catch (IscsiException e) {
            Fuzzing.clearMessage(e);
        }
    }
}
