package org.kiscsi.scsi;

/**
 * One-line descriptions of CDBs for messages and logs: "READ(10) LBA 0x800, 8 blocks", "INQUIRY VPD
 * 0x83", "PERSISTENT RESERVE OUT service action 0x01". Built only when something is reported, never on
 * the I/O path.
 */
public final class CdbDescriber {
    private CdbDescriber() {
    }

    /** The SPC/SBC name of an operation code, or "operation 0xNN". */
    public static String name(int opcode) {
        return switch (opcode) {
            case PrimaryCdbs.TEST_UNIT_READY -> "TEST UNIT READY";
            case PrimaryCdbs.INQUIRY -> "INQUIRY";
            case PrimaryCdbs.MODE_SENSE_6 -> "MODE SENSE(6)";
            case PrimaryCdbs.MODE_SENSE_10 -> "MODE SENSE(10)";
            case PrimaryCdbs.PERSISTENT_RESERVE_IN -> "PERSISTENT RESERVE IN";
            case PrimaryCdbs.PERSISTENT_RESERVE_OUT -> "PERSISTENT RESERVE OUT";
            case PrimaryCdbs.REPORT_LUNS -> "REPORT LUNS";
            case 0x03 -> "REQUEST SENSE";
            case 0x1B -> "START STOP UNIT";
            case BlockCdbs.READ_10 -> "READ(10)";
            case BlockCdbs.WRITE_10 -> "WRITE(10)";
            case BlockCdbs.READ_16 -> "READ(16)";
            case BlockCdbs.WRITE_16 -> "WRITE(16)";
            case BlockCdbs.READ_CAPACITY_10 -> "READ CAPACITY(10)";
            case BlockCdbs.SERVICE_ACTION_IN_16 -> "SERVICE ACTION IN(16)";
            case BlockCdbs.SYNCHRONIZE_CACHE_10 -> "SYNCHRONIZE CACHE(10)";
            case BlockCdbs.SYNCHRONIZE_CACHE_16 -> "SYNCHRONIZE CACHE(16)";
            case BlockCdbs.UNMAP -> "UNMAP";
            case BlockCdbs.WRITE_SAME_16 -> "WRITE SAME(16)";
            case BlockCdbs.COMPARE_AND_WRITE -> "COMPARE AND WRITE";
            default -> String.format("operation 0x%02X", opcode);
        };
    }

    /** The command with the fields that say what it touched. */
    public static String describe(byte[] cdb) {
        int op = cdb[0] & 0xFF;
        return switch (op) {
            case BlockCdbs.READ_10, BlockCdbs.WRITE_10, BlockCdbs.SYNCHRONIZE_CACHE_10 ->
                    lbaBlocks(name(op), Bytes.u32(cdb, 2), Bytes.u16(cdb, 7), fua(cdb));
            case BlockCdbs.READ_16, BlockCdbs.WRITE_16, BlockCdbs.SYNCHRONIZE_CACHE_16, BlockCdbs.WRITE_SAME_16 ->
                    lbaBlocks(name(op), Bytes.u64(cdb, 2), Bytes.u32(cdb, 10), fua(cdb));
            case BlockCdbs.COMPARE_AND_WRITE -> lbaBlocks(name(op), Bytes.u64(cdb, 2), Bytes.u8(cdb, 13), fua(cdb));
            case BlockCdbs.SERVICE_ACTION_IN_16 -> (cdb[1] & 0x1F) == BlockCdbs.SA_READ_CAPACITY_16
                    ? "READ CAPACITY(16)" : String.format("SERVICE ACTION IN(16) service action 0x%02X", cdb[1] & 0x1F);
            case PrimaryCdbs.INQUIRY -> (cdb[1] & 0x01) != 0 ? String.format("INQUIRY VPD 0x%02X", cdb[2] & 0xFF) : "INQUIRY";
            case PrimaryCdbs.MODE_SENSE_6, PrimaryCdbs.MODE_SENSE_10 ->
                    String.format("%s page 0x%02X/0x%02X", name(op), cdb[2] & 0x3F, cdb[3] & 0xFF);
            case PrimaryCdbs.PERSISTENT_RESERVE_IN, PrimaryCdbs.PERSISTENT_RESERVE_OUT ->
                    String.format("%s service action 0x%02X", name(op), cdb[1] & 0x1F);
            default -> name(op);
        };
    }

    private static boolean fua(byte[] cdb) {
        int op = cdb[0] & 0xFF;
        boolean hasFua = op == BlockCdbs.READ_10 || op == BlockCdbs.WRITE_10 || op == BlockCdbs.READ_16
                || op == BlockCdbs.WRITE_16 || op == BlockCdbs.COMPARE_AND_WRITE;
        return hasFua && (cdb[1] & 0x08) != 0;
    }

    private static String lbaBlocks(String name, long lba, long blocks, boolean fua) {
        return name + " LBA 0x" + Long.toHexString(lba) + ", " + blocks + (blocks == 1 ? " block" : " blocks")
                + (fua ? ", FUA" : "");
    }
}
