package org.kiscsi.scsi;

import static org.kiscsi.scsi.Hex.bytes;

/**
 * Real replies of tgtd (tgt 1.0.85, Debian 12) to libiscsi 1.19's tools, taken from a loopback capture:
 * target iqn.2026-11.test.kiscsi:fixtures, LUN 1 = 64 MiB rdwr file with thin_provisioning=1, LUN 2 =
 * 1 TiB null backing store, LUN 0 = tgtd's controller LU. Data-in as received (tgtd's sense is in the
 * API's SenseDecodeTest).
 */
final class TgtdReplies {
    private TgtdReplies() {
    }

    /** INQUIRY, allocation length 0x42, LUN 1. */
    static final byte[] INQUIRY_DISK = bytes("000005123d00000249455420202020205649525455414c2d4449534b2020202030303031000000000000000000000000"
            + "0000000000000000000004c0096003000000");
    /** INQUIRY, allocation length 0x42, LUN 0. */
    static final byte[] INQUIRY_CONTROLLER = bytes("0c0005123d0000024945542020202020436f6e74726f6c6c657220202020202030303031000000000000000000000000"
            + "0000000000000000000004c0096001fb0000");
    static final byte[] VPD_SUPPORTED = bytes("00000006008083b0b1b2");
    static final byte[] VPD_SERIAL = bytes("00800024202020202020202020202020202020202020202020202020202020202020626561663131");
    static final byte[] VPD_DEVICE_ID = bytes("008300480201002449455420202020203030303130303031000000000000000000000000000000000000000001030008"
            + "30000001000000010103001060000000000000000e00000000010001");
    static final byte[] VPD_BLOCK_LIMITS = bytes("00b0003c00800000000000000000000000000000ffffffffffffffff0000000000000000000000000000000000000000"
            + "00000000000000000000000000000000");
    static final byte[] VPD_PROVISIONING = bytes("00b2000400e40200");
    static final byte[] READ_CAPACITY_16_DISK = bytes("000000000001ffff000002000003c00000000000000000000000000000000000");
    static final byte[] READ_CAPACITY_16_NULL = bytes("000000007fffffff000002000000000000000000000000000000000000000000");
    static final byte[] READ_CAPACITY_10_DISK = bytes("0001ffff00000200");
    /** REPORT LUNS, allocation length 0x20: LUNs 0, 1, 2. */
    static final byte[] REPORT_LUNS = bytes("0000001800000000000000000000000000010000000000000002000000000000");
    /** REPORT LUNS, allocation length 0x10: the header says 3 LUNs, one came. */
    static final byte[] REPORT_LUNS_CUT = bytes("00000018000000000000000000000000");
    /** MODE SENSE (6), all pages, allocation length 0xFF, LUN 1. */
    static final byte[] MODE_SENSE_6_ALL = bytes("6900100800000000000002000000020e8080000a0000000000000000000008121400ffff0000ffffffff801400000000"
            + "00000a0a021000000000000002004a01001c040000000000000000000000000000000000000000000000000000001c0a"
            + "08000000000000000000");
    /** PERSISTENT RESERVE IN / READ KEYS, no registrations, generation 4. */
    static final byte[] PR_KEYS_NONE = bytes("00000004 00000000");
    /** PERSISTENT RESERVE IN / READ RESERVATION: WRITE EXCLUSIVE held by key 0x7836d81e, generation 2. */
    static final byte[] PR_RESERVATION = bytes("00000002 00000010 000000007836d81e 00000000 00 01 0000");
}
