package org.kiscsi.tools.lun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class DdOperandsTest {
    @Test
    void ddsDefaultsAndUnits() {
        DdOperands d = DdOperands.parse(List.of());
        assertEquals("-", d.in());
        assertEquals("-", d.out());
        assertEquals(512, d.bs());
        assertEquals(-1, d.count());
        assertEquals(DdOperands.Status.DEFAULT, d.status());
        assertEquals(1, DdOperands.size("bs", "1c"));
        assertEquals(2, DdOperands.size("bs", "1w"));
        assertEquals(1024, DdOperands.size("bs", "2b"));
        assertEquals(1000, DdOperands.size("bs", "1kB"));
        assertEquals(4096, DdOperands.size("bs", "4K"));
        assertEquals(4096, DdOperands.size("bs", "4KiB"));
        assertEquals(1_000_000, DdOperands.size("bs", "1MB"));
        assertEquals(3L << 20, DdOperands.size("bs", "3M"));
        assertEquals(1L << 30, DdOperands.size("bs", "1G"));
        assertEquals(1L << 40, DdOperands.size("bs", "1T"));
    }

    @Test
    void everyOperand() {
        DdOperands d = DdOperands.parse(List.of("if=iscsi://h/iqn.2026-11.x:y/1", "of=out.img", "bs=1M", "count=3", "skip=2", "seek=5",
                "status=progress", "oflag=fua", "qd=4", "iosize=256K"));
        assertEquals("out.img", d.out());
        assertEquals(1 << 20, d.bs());
        assertEquals(3, d.count());
        assertEquals(2, d.skip());
        assertEquals(5, d.seek());
        assertEquals(DdOperands.Status.PROGRESS, d.status());
        assertTrue(d.fua());
        assertEquals(4, d.depth());
        assertEquals(256 << 10, d.ioSize());
        assertEquals(DdOperands.Status.NONE, DdOperands.parse(List.of("status=none")).status());
    }

    @Test
    void refusals() {
        for (List<String> bad : List.of(List.of("bs=0"), List.of("bs=1X"), List.of("count=abc"), List.of("status=noxfer"),
                List.of("oflag=direct"), List.of("conv=notrunc"), List.of("qd=0"), List.of("qd=300"), List.of("iosize=100"),
                List.of("stray"), List.of("-x"), List.of("bs=1G", "count=99999999999"), List.of("bs=99999999999999999999"))) {
            assertThrows(UsageException.class, () -> DdOperands.parse(bad), bad.toString());
        }
    }
}
