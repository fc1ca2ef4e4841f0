package org.kiscsi.transport.iser.testtarget;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.kiscsi.protocol.pdu.DataOut;
import org.kiscsi.protocol.pdu.ScsiCommand;
import org.kiscsi.transport.iser.internal.IserHeader;

/** The test target's byte accounting fails an initiator that sends a byte twice, skips one or breaks a limit. */
class WriteAssemblyTest {
    private static final WriteAssembly.Limits LIMITS = new WriteAssembly.Limits(true, false, 16384, 8192, true);
    private static final IserHeader WSV = new IserHeader(true, false, 0x1234, 0x10000, 0, 0);

    private static ScsiCommand write(boolean finalBit, int edtl, int immediate) {
        return new ScsiCommand(finalBit, false, true, 0, 0, 7, edtl, 1, 1, new byte[] {0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0}, -1,
                immediate == 0 ? null : ByteBuffer.wrap(bytes(0, immediate)));
    }

    private static byte[] bytes(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static DataOut dataOut(boolean last, int dataSn, int offset, int n) {
        return new DataOut(last, 0, 7, 0xFFFFFFFF, 1, dataSn, offset, ByteBuffer.wrap(bytes(offset, n)));
    }

    @Test
    void immediateUnsolicitedAndFetchedBytesMakeTheWholeWrite() {
        WriteAssembly w = new WriteAssembly(write(false, 32768, 8192), WSV, LIMITS);
        w.dataOut(dataOut(true, 0, 8192, 8192));
        assertTrue(w.unsolicitedComplete());
        assertEquals(16384, w.received());
        assertEquals(0x10000, w.restAddress(), "solicited only: the rest is at the Base Offset");
        w.solicited(bytes(16384, 16384));
        assertArrayEquals(bytes(0, 32768), w.complete());
    }

    @Test
    void withTheWholeBufferTaggedTheRestIsAtItsBufferOffset() {
        WriteAssembly w = new WriteAssembly(write(true, 16384, 8192), WSV, new WriteAssembly.Limits(true, false, 16384, 8192, false));
        assertEquals(0x10000 + 8192, w.restAddress());
    }

    @Test
    void aByteSentTwiceIsAnError() {
        WriteAssembly w = new WriteAssembly(write(false, 32768, 8192), WSV, LIMITS);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.dataOut(dataOut(true, 0, 4096, 8192)));
        assertTrue(e.getMessage().contains("byte 4096 a second time"), e.getMessage());
    }

    @Test
    void aSkippedByteIsAnError() {
        WriteAssembly w = new WriteAssembly(write(false, 32768, 8192), WSV, LIMITS);
        w.dataOut(dataOut(true, 0, 8193, 4096));
        assertThrows(IllegalStateException.class, w::received);
        WriteAssembly v = new WriteAssembly(write(true, 16384, 8192), WSV, LIMITS);
        v.solicited(bytes(8192, 8191));
        IllegalStateException e = assertThrows(IllegalStateException.class, v::complete);
        assertTrue(e.getMessage().contains("16383 of 16384"), e.getMessage());
    }

    @Test
    void theNegotiatedLimitsAreKept() {
        assertThrows(IllegalStateException.class, () -> new WriteAssembly(write(true, 8192, 4096), WSV,
                new WriteAssembly.Limits(false, false, 16384, 8192, true)), "immediate data with ImmediateData=No");
        assertThrows(IllegalStateException.class, () -> new WriteAssembly(write(false, 32768, 0), WSV,
                new WriteAssembly.Limits(true, true, 16384, 8192, true)), "unsolicited Data-Out with InitialR2T=Yes");
        assertThrows(IllegalStateException.class, () -> new WriteAssembly(write(true, 32768, 8193), WSV, LIMITS),
                "a segment over TargetRecvDataSegmentLength");
        WriteAssembly w = new WriteAssembly(write(false, 32768, 8192), WSV, LIMITS);
        w.dataOut(dataOut(false, 0, 8192, 8192));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.dataOut(dataOut(true, 1, 16384, 512)));
        assertTrue(e.getMessage().contains("over FirstBurstLength 16384"), e.getMessage());
    }
}
