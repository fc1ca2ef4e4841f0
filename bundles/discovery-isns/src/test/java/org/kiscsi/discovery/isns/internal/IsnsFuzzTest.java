package org.kiscsi.discovery.isns.internal;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.kiscsi.api.IscsiName;

/**
 * The iSNSP codec (RFC 4171: 12-byte header, TLV attributes) on what an iSNS server sends: its
 * answers to our queries and registrations, and the SCN and ESI messages it sends to our ports. Each
 * PDU decodes, or fails with an {@link IsnsFormatException} saying what was wrong; nothing else.
 */
class IsnsFuzzTest {
    private static final IscsiName ME = IscsiName.of("iqn.2026-11.org.kiscsi:initiator");

    /**
     * Input: a stream of iSNSP PDUs. Each one decoded is read as an answer (registration period,
     * targets and portals), and encodes back to a PDU that decodes equal.
     */
    @FuzzTest(maxDuration = "30s")
    void serverAnswers(byte[] input) throws IOException {
        InputStream in = new ByteArrayInputStream(input);
        try {
            while (true) {
                IsnsPdu pdu = IsnsConnection.read(in);
                IsnsMessages.registrationPeriod(pdu.attributes());
                IsnsMessages.targets(pdu.attributes());
                roundTrip(pdu);
            }
        } catch (EOFException e) {
            // the stream ended: between PDUs or inside one, it is the caller's "server closed"
        } catch (IsnsFormatException e) {
            clearMessage(e);
        }
    }

    /**
     * Input: a stream of iSNSP PDUs arriving on our SCN/ESI port. Each one is answered (SCNRsp, ESIRsp,
     * or Message Not Supported), and the answer encodes.
     */
    @FuzzTest(maxDuration = "30s")
    void callbacks(byte[] input) throws IOException {
        InputStream in = new ByteArrayInputStream(input);
        try {
            while (true) {
                IsnsPdu pdu = IsnsConnection.read(in);
                byte[] answer = IsnsCallbacks.answer(pdu, ME).encode();
                IsnsPdu back = IsnsPdu.decode(Arrays.copyOf(answer, IsnsPdu.HEADER),
                        Arrays.copyOfRange(answer, IsnsPdu.HEADER, answer.length));
                if (back.xid() != pdu.xid() || !back.isResponse()) {
                    throw new AssertionError("answer " + back + " to " + pdu);
                }
            }
        } catch (EOFException e) {
            // end of stream
        } catch (IsnsFormatException e) {
            clearMessage(e);
        }
    }

    private static void roundTrip(IsnsPdu pdu) {
        byte[] b = pdu.encode();
        IsnsPdu back = IsnsPdu.decode(Arrays.copyOf(b, IsnsPdu.HEADER), Arrays.copyOfRange(b, IsnsPdu.HEADER, b.length));
        if (!back.equals(pdu)) {
            throw new AssertionError(pdu + " encodes to " + back);
        }
    }

    private static void clearMessage(Exception e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("refusal without a message", e);
        }
    }
}
