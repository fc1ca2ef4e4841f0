package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link QemuImg} against tgtd: a write read back through another path, and bench parsing. */
class QemuImgIT {
    private static final int LUN_BYTES = 8 * 1024 * 1024;
    private static Tgtd tgtd;
    private static TgtTarget target;
    private static ScratchDir files;

    @BeforeAll
    static void start() {
        tgtd = Tgtd.start(Loopback.IPV4);
        target = tgtd.createTarget("iqn.2026-11.org.kiscsi.testkit:qemu-it");
        target.addLun(1, LunBacking.file(LUN_BYTES));
        target.addLun(2, LunBacking.file(LUN_BYTES));
        target.allowAll();
        files = ScratchDir.create("kiscsi-qemu-it-");
    }

    @AfterAll
    static void stop() {
        if (files != null) {
            files.close();
        }
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @Test
    void fileWrittenIntoALunReadsBackWithTheSameChecksum() throws Exception {
        byte[] data = new byte[1024 * 1024 + 4096];
        new Random(42).nextBytes(data);
        Path in = Files.write(files.resolve("in.raw"), data);
        QemuImg qemu = QemuImg.create();
        qemu.writeToLun(in, target.url(1));

        Path out = files.resolve("out.raw");
        qemu.readFromLun(target.url(1), out);
        byte[] back = Files.readAllBytes(out);
        assertEquals(LUN_BYTES, back.length, "the whole LUN was read");
        assertArrayEquals(sha256(data), sha256(Arrays.copyOf(back, data.length)));
        assertTrue(allZero(back, data.length), "the rest of the sparse LUN reads as zeros");
        // the same bytes through tgtd's backing file: qemu really wrote to the LUN
        byte[] backing = Files.readAllBytes(target.lun(1).orElseThrow().file().orElseThrow());
        assertArrayEquals(sha256(data), sha256(Arrays.copyOf(backing, data.length)));
    }

    @Test
    void benchReadsAndWritesAndParses() {
        QemuImg qemu = QemuImg.create();
        BenchResult w = qemu.bench(target.url(2), true, 500, 4096, 4);
        assertEquals(new BenchResult(true, 500, 4096, 4, w.seconds()), w);
        BenchResult r = qemu.bench(target.url(2), false, 500, 65536, 8);
        assertEquals(new BenchResult(false, 500, 65536, 8, r.seconds()), r);
        assertTrue(w.iops() > 0 && r.mibPerSecond() > 0, w + " " + r);
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    private static boolean allZero(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
