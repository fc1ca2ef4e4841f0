package org.kiscsi.tools.lun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.scsi.PrType;

class ReportsTest {
    @Test
    void readCapacity16EveryField() {
        byte[] d = new byte[32];
        d[7] = (byte) 0xFF; // last LBA 255
        d[10] = 0x10; // 4096-byte blocks
        d[12] = 0b0000_0101; // P_TYPE 2, PROT_EN 1
        d[13] = 0x23; // P_I_EXPONENT 2, LBPPBE 3
        d[14] = (byte) 0xC1; // LBPME, LBPRZ, lowest aligned LBA high bits 1
        d[15] = 0x02;
        CapacityReport c = CapacityReport.parse(d);
        assertEquals(new CapacityReport(255, 4096, 2, 1, 2, 3, 1, 1, 0x102), c);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        c.print(new PrintStream(b, true, StandardCharsets.UTF_8));
        assertEquals("""
                RETURNED LOGICAL BLOCK ADDRESS:255
                LOGICAL BLOCK LENGTH IN BYTES:4096
                P_TYPE:2 PROT_EN:1
                P_I_EXPONENT:2 LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT:3
                LBPME:1 LBPRZ:1
                LOWEST ALIGNED LOGICAL BLOCK ADDRESS:258
                Total size:1048576
                """, b.toString(StandardCharsets.UTF_8));
    }

    @Test
    void iscsiLsSizes() {
        assertEquals("64M", LunListing.size(64L << 20));
        assertEquals("63M", LunListing.size((64L << 20) - 512), "iscsi-ls's own, one block short");
        assertEquals("1024G", LunListing.size(1L << 40), "iscsi-ls divides only while above 1024");
        assertEquals("1T", LunListing.size((1L << 40) + (1L << 30)));
        assertEquals("1024T", LunListing.size(1L << 50));
        assertEquals("512 ", LunListing.size(512));
        assertEquals("1024 ", LunListing.size(1024));
        assertEquals("1k", LunListing.size(1025));
    }

    @Test
    void reservationWords() {
        assertEquals(0xa1L, Reservations.key("0xa1"));
        assertEquals(-1L, Reservations.key("0xffffffffffffffff"));
        assertEquals(161L, Reservations.key("161"));
        assertEquals(PrType.EXCLUSIVE_ACCESS_ALL_REGISTRANTS, Reservations.type("ea-ar"));
        assertEquals(PrType.WRITE_EXCLUSIVE_REGISTRANTS_ONLY, Reservations.type("5"));
        Reservations.check(List.of("register", "0xa1", "reserve", "0xa1", "we", "show"));
        for (List<String> bad : List.of(List.<String>of(), List.of("reserve", "0xa1"), List.of("register", "zz"), List.of("reserve", "1", "wx"),
                List.of("dance"), List.of("keys", "extra"))) {
            assertThrows(IllegalArgumentException.class, () -> Reservations.check(bad), bad.toString());
        }
    }
}
