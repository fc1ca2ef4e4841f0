package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QemuImgTest {
    @Test
    void parsesBenchOutput() {
        BenchResult r = QemuImg.parseBench("""
                Sending 2000 write requests, 4096 bytes each, 8 in parallel (starting at offset 0, step size 4096)
                Run completed in 0.040 seconds.
                """);
        assertEquals(new BenchResult(true, 2000, 4096, 8, 0.040), r);
        assertEquals(50000, r.iops(), 0.001);
        assertEquals(50000 * 4096 / 1048576.0, r.mibPerSecond(), 0.001);
        assertThrows(PeerException.class, () -> QemuImg.parseBench("qemu-img: Could not open"));
    }
}
