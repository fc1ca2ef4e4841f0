package org.kiscsi.api.scsi;

/** SAM task attribute, as carried in the SCSI Command PDU's ATTR field. */
public enum TaskAttribute {
    UNTAGGED(0), SIMPLE(1), ORDERED(2), HEAD_OF_QUEUE(3), ACA(4);

    private final int code;

    TaskAttribute(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
