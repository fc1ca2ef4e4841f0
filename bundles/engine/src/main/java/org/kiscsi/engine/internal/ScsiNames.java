package org.kiscsi.engine.internal;

/** Names of common SCSI opcodes, for messages. */
final class ScsiNames {
    private ScsiNames() {
    }

    static String opcode(int op) {
        return switch (op) {
            case 0x00 -> "TEST UNIT READY";
            case 0x03 -> "REQUEST SENSE";
            case 0x12 -> "INQUIRY";
            case 0x1A -> "MODE SENSE(6)";
            case 0x25 -> "READ CAPACITY(10)";
            case 0x28 -> "READ(10)";
            case 0x2A -> "WRITE(10)";
            case 0x35 -> "SYNCHRONIZE CACHE(10)";
            case 0x42 -> "UNMAP";
            case 0x5A -> "MODE SENSE(10)";
            case 0x5E -> "PERSISTENT RESERVE IN";
            case 0x5F -> "PERSISTENT RESERVE OUT";
            case 0x88 -> "READ(16)";
            case 0x89 -> "COMPARE AND WRITE";
            case 0x8A -> "WRITE(16)";
            case 0x91 -> "SYNCHRONIZE CACHE(16)";
            case 0x93 -> "WRITE SAME(16)";
            case 0x9E -> "SERVICE ACTION IN(16)";
            case 0xA0 -> "REPORT LUNS";
            default -> String.format("SCSI opcode 0x%02x", op);
        };
    }
}
