package org.kiscsi.scsi;

import static org.kiscsi.scsi.Bytes.put16;
import static org.kiscsi.scsi.Bytes.put32;

import org.kiscsi.api.scsi.PrOut;

/**
 * CDBs of the primary commands (SPC-4) kiscsi uses: TEST UNIT READY, INQUIRY, REPORT LUNS, MODE SENSE
 * 6 and 10, PERSISTENT RESERVE IN and OUT. Each call returns a new array; CONTROL is 0.
 */
public final class PrimaryCdbs {
    public static final int TEST_UNIT_READY = 0x00;
    public static final int INQUIRY = 0x12;
    public static final int MODE_SENSE_6 = 0x1A;
    public static final int MODE_SENSE_10 = 0x5A;
    public static final int PERSISTENT_RESERVE_IN = 0x5E;
    public static final int PERSISTENT_RESERVE_OUT = 0x5F;
    public static final int REPORT_LUNS = 0xA0;

    /** PERSISTENT RESERVE IN service actions (SPC-4). */
    public static final int PR_IN_READ_KEYS = 0x00;
    public static final int PR_IN_READ_RESERVATION = 0x01;

    /** MODE SENSE page control (SPC-4). */
    public static final int PC_CURRENT = 0;
    public static final int PC_CHANGEABLE = 1;
    public static final int PC_DEFAULT = 2;
    public static final int PC_SAVED = 3;

    /** REPORT LUNS SELECT REPORT 0: the logical units, without well-known ones. */
    public static final int SELECT_REPORT_LOGICAL_UNITS = 0x00;
    /** Length of the basic PERSISTENT RESERVE OUT parameter list (SPC-4). */
    public static final int PR_OUT_PARAMETER_LENGTH = 24;

    private PrimaryCdbs() {
    }

    /** TEST UNIT READY, SPC-4: six zero bytes. */
    public static byte[] testUnitReady() {
        return new byte[6];
    }

    /** INQUIRY for standard data, SPC-4: EVPD 0, ALLOCATION LENGTH bytes 3-4. */
    public static byte[] inquiry(int allocationLength) {
        return inquiry(false, 0, allocationLength);
    }

    /** INQUIRY for a VPD page: EVPD byte 1 bit 0, PAGE CODE byte 2, ALLOCATION LENGTH bytes 3-4. */
    public static byte[] inquiryVpd(int pageCode, int allocationLength) {
        return inquiry(true, pageCode, allocationLength);
    }

    private static byte[] inquiry(boolean evpd, int pageCode, int allocationLength) {
        check("INQUIRY allocation length", allocationLength, 0, 0xFFFF);
        check("VPD page code", pageCode, 0, 0xFF);
        byte[] c = new byte[6];
        c[0] = INQUIRY;
        c[1] = (byte) (evpd ? 0x01 : 0);
        c[2] = (byte) pageCode;
        put16(c, 3, allocationLength);
        return c;
    }

    /** REPORT LUNS, SPC-4: SELECT REPORT byte 2, ALLOCATION LENGTH bytes 6-9 (at least 16). */
    public static byte[] reportLuns(int selectReport, int allocationLength) {
        check("REPORT LUNS allocation length", allocationLength, 16, Integer.MAX_VALUE);
        byte[] c = new byte[12];
        c[0] = (byte) REPORT_LUNS;
        c[2] = (byte) selectReport;
        put32(c, 6, allocationLength);
        return c;
    }

    /**
     * MODE SENSE (6), SPC-4: DBD byte 1 bit 3, PC byte 2 bits 7-6, PAGE CODE byte 2 bits 5-0,
     * SUBPAGE CODE byte 3, ALLOCATION LENGTH byte 4.
     */
    public static byte[] modeSense6(boolean disableBlockDescriptors, int pageControl, int pageCode, int subpageCode,
            int allocationLength) {
        check("MODE SENSE(6) allocation length", allocationLength, 0, 0xFF);
        byte[] c = new byte[6];
        c[0] = MODE_SENSE_6;
        c[1] = (byte) (disableBlockDescriptors ? 0x08 : 0);
        c[2] = pageByte(pageControl, pageCode);
        c[3] = (byte) check("subpage code", subpageCode, 0, 0xFF);
        c[4] = (byte) allocationLength;
        return c;
    }

    /**
     * MODE SENSE (10), SPC-4: LLBAA byte 1 bit 4, DBD byte 1 bit 3, PC/PAGE CODE byte 2, SUBPAGE
     * CODE byte 3, ALLOCATION LENGTH bytes 7-8.
     */
    public static byte[] modeSense10(boolean longLba, boolean disableBlockDescriptors, int pageControl, int pageCode,
            int subpageCode, int allocationLength) {
        check("MODE SENSE(10) allocation length", allocationLength, 0, 0xFFFF);
        byte[] c = new byte[10];
        c[0] = MODE_SENSE_10;
        c[1] = (byte) ((longLba ? 0x10 : 0) | (disableBlockDescriptors ? 0x08 : 0));
        c[2] = pageByte(pageControl, pageCode);
        c[3] = (byte) check("subpage code", subpageCode, 0, 0xFF);
        put16(c, 7, allocationLength);
        return c;
    }

    /** PERSISTENT RESERVE IN, SPC-4: SERVICE ACTION byte 1 bits 4-0, ALLOCATION LENGTH bytes 7-8. */
    public static byte[] persistentReserveIn(int serviceAction, int allocationLength) {
        check("PERSISTENT RESERVE IN service action", serviceAction, 0, 0x1F);
        check("PERSISTENT RESERVE IN allocation length", allocationLength, 0, 0xFFFF);
        byte[] c = new byte[10];
        c[0] = PERSISTENT_RESERVE_IN;
        c[1] = (byte) serviceAction;
        put16(c, 7, allocationLength);
        return c;
    }

    /**
     * PERSISTENT RESERVE OUT, SPC-4: SERVICE ACTION byte 1 bits 4-0, SCOPE byte 2 bits 7-4 (0,
     * logical unit), TYPE byte 2 bits 3-0, PARAMETER LIST LENGTH bytes 5-8 (24). Send it with
     * {@link #persistentReserveOutParameters}.
     */
    public static byte[] persistentReserveOut(PrOut request) {
        byte[] c = new byte[10];
        c[0] = PERSISTENT_RESERVE_OUT;
        c[1] = (byte) request.action().code();
        c[2] = (byte) (request.type() == null ? 0 : request.type().code());
        put32(c, 5, PR_OUT_PARAMETER_LENGTH);
        return c;
    }

    /**
     * The basic PERSISTENT RESERVE OUT parameter list, SPC-4: RESERVATION KEY bytes 0-7, SERVICE
     * ACTION RESERVATION KEY bytes 8-15, APTPL byte 20 bit 0.
     */
    public static byte[] persistentReserveOutParameters(PrOut request) {
        byte[] p = new byte[PR_OUT_PARAMETER_LENGTH];
        Bytes.put64(p, 0, request.key());
        Bytes.put64(p, 8, request.serviceActionKey());
        p[20] = (byte) (request.activatePersistThroughPowerLoss() ? 0x01 : 0);
        return p;
    }

    private static byte pageByte(int pageControl, int pageCode) {
        check("page control", pageControl, 0, 3);
        check("page code", pageCode, 0, 0x3F);
        return (byte) (pageControl << 6 | pageCode);
    }

    private static int check(String what, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + v + " does not fit (" + min + " to " + max + ")");
        }
        return v;
    }
}
