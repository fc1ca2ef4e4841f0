package org.kiscsi.transport.iser.internal;

import java.util.List;
import java.util.Map;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.LoginKey;
import org.kiscsi.transport.iser.IserOptions;

/**
 * iSER's login keys (RFC 7145 section 6) as the transport SPI's {@link LoginKey}s, and the reading
 * of their outcome. The engine negotiates them by their rules; this class decides whether the
 * outcome lets the connection go on.
 */
public final class IserKeys {
    public static final String RDMA_EXTENSIONS = "RDMAExtensions";
    public static final String INITIATOR_RECV = "InitiatorRecvDataSegmentLength";
    public static final String TARGET_RECV = "TargetRecvDataSegmentLength";
    public static final String MAX_UNEXPECTED = "MaxOutstandingUnexpectedPDUs";
    public static final String MAX_AHS = "MaxAHSLength";
    public static final String TAGGED_SOLICITED_ONLY = "TaggedBufferForSolicitedDataOnly";
    public static final String HELLO_REQUIRED = "iSERHelloRequired";
    static final int DEFAULT_RECV = 8192;
    static final long MAX_LENGTH = 16_777_215;

    private IserKeys() {
    }

    /**
     * What the negotiation settled.
     *
     * @param initiatorRecv the largest data segment the target may send in one Send
     * @param targetRecv the largest data segment this side may send
     * @param maxUnexpected PDUs this side may have outstanding: the negotiated value, or this side's
     *        own offer when the target set no limit (0)
     */
    public record Outcome(int initiatorRecv, int targetRecv, int maxUnexpected) {
    }

    /**
     * The keys offered, in order. TaggedBufferForSolicitedDataOnly is declared as the options say,
     * and a write's Write STag and Base Offset follow it ({@link TaskRegistration}).
     */
    public static List<LoginKey> offers(IserOptions o) {
        return List.of(
                LoginKey.and(RDMA_EXTENSIONS, "No", true).leadingOnly(),
                LoginKey.min(INITIATOR_RECV, DEFAULT_RECV, 512, MAX_LENGTH, o.initiatorRecvDataSegmentLength()),
                LoginKey.min(TARGET_RECV, DEFAULT_RECV, 512, MAX_LENGTH, o.targetRecvDataSegmentLength()),
                // 0 is "no limit" (result min-or-zero); the range lets a target's 0 through to read()
                LoginKey.min(MAX_UNEXPECTED, 0, 0, 0xFFFF_FFFFL, o.maxOutstandingUnexpectedPdus()),
                LoginKey.declare(MAX_AHS, Integer.toString(o.maxAhsLength())),
                LoginKey.declare(TAGGED_SOLICITED_ONLY, o.taggedBufferForSolicitedDataOnly() ? "Yes" : "No"),
                LoginKey.declare(HELLO_REQUIRED, o.helloRequired() ? "Yes" : "No"));
    }

    /**
     * Reads the engine's outcome of {@link #offers}.
     *
     * @throws IscsiException (TRANS_CAPS) when the target did not take RDMAExtensions=Yes, or a value
     *         breaks the key's range or rule, naming the key, the value and {@code where}
     */
    public static Outcome read(Map<String, String> results, IserOptions o, String where) {
        String rdma = results.get(RDMA_EXTENSIONS);
        if (!"Yes".equals(rdma)) {
            throw new IscsiException(IscsiError.TRANS_CAPS, where + ": the target did not take RDMAExtensions=Yes (its outcome: "
                    + (rdma == null ? "none" : rdma) + "), so iSER cannot be used on this connection");
        }
        int initiatorRecv = length(results, INITIATOR_RECV, o.initiatorRecvDataSegmentLength(), where);
        int targetRecv = length(results, TARGET_RECV, o.targetRecvDataSegmentLength(), where);
        long unexpected = number(results, MAX_UNEXPECTED, 0, where);
        if (unexpected == 1 || unexpected > o.maxOutstandingUnexpectedPdus()) {
            throw new IscsiException(IscsiError.TRANS_CAPS, where + ": " + MAX_UNEXPECTED + "=" + unexpected
                    + " is neither 0 nor within 2.." + o.maxOutstandingUnexpectedPdus() + " (the offer)");
        }
        return new Outcome(initiatorRecv, targetRecv, unexpected == 0 ? o.maxOutstandingUnexpectedPdus() : (int) unexpected);
    }

    private static int length(Map<String, String> results, String key, int offer, String where) {
        long v = number(results, key, DEFAULT_RECV, where);
        if (v < 512 || v > offer) {
            throw new IscsiException(IscsiError.TRANS_CAPS, where + ": " + key + "=" + v + " outside 512.." + offer + " (the offer)");
        }
        return (int) v;
    }

    private static long number(Map<String, String> results, String key, long dflt, String where) {
        String v = results.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IscsiException(IscsiError.TRANS_CAPS, where + ": " + key + "=" + v + " is not a number");
        }
    }
}
