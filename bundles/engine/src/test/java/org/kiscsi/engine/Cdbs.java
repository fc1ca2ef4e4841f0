package org.kiscsi.engine;

import java.nio.ByteBuffer;

/** CDBs for engine tests (the SCSI layer has the real builders; the engine must not depend on it). */
final class Cdbs {
    private Cdbs() {
    }

    static byte[] read10(long lba, int blocks) {
        return ByteBuffer.allocate(10).put(0, (byte) 0x28).putInt(2, (int) lba).putShort(7, (short) blocks).array();
    }

    static byte[] write10(long lba, int blocks) {
        return ByteBuffer.allocate(10).put(0, (byte) 0x2A).putInt(2, (int) lba).putShort(7, (short) blocks).array();
    }

    static byte[] read16(long lba, int blocks) {
        return ByteBuffer.allocate(16).put(0, (byte) 0x88).putLong(2, lba).putInt(10, blocks).array();
    }

    static byte[] write16(long lba, int blocks) {
        return ByteBuffer.allocate(16).put(0, (byte) 0x8A).putLong(2, lba).putInt(10, blocks).array();
    }

    static byte[] testUnitReady() {
        return new byte[6];
    }
}
