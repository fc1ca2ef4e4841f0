package org.kiscsi.tools.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.testkit.peers.LunBacking;

/**
 * The README's figure: the same tgtd LU copied by nbdcopy through kiscsi's export (Unix socket) and by
 * qemu-img convert over libiscsi directly, in interleaved rounds of one run, with the load average
 * before and after (a figure taken on a loaded machine is indicative only). Set -Dnbd.figure.rounds and
 * -Dnbd.figure.mib for longer runs. The test checks only that every copy is intact.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class NbdFigureIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:nbd-figure";
    private static final int ROUNDS = Integer.getInteger("nbd.figure.rounds", 3);
    private static final int MIB = Integer.getInteger("nbd.figure.mib", 64);
    private static NbdFixture f;

    @BeforeAll
    static void start() throws IOException {
        f = new NbdFixture(IQN, "iqn.2026-11.org.kiscsi:nbd-figure-it");
        f.target.addLun(1, LunBacking.file((long) MIB << 20));
        f.export("lu", f.login(f.tgtd.portal()), 1, false);
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static long ms(String script) throws Exception {
        long s = System.nanoTime();
        f.sh(script);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s);
    }

    @Test
    void nbdcopyThroughTheExportAgainstQemuImgOverLibiscsi() throws Exception {
        String nbd = f.uri("lu");
        String iscsi = f.target.url(1).uri();
        f.sh("head -c " + ((long) MIB << 20) + " /dev/urandom > fig.img");
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        Map<String, List<Long>> t = new LinkedHashMap<>();
        for (int r = 0; r < ROUNDS; r++) {
            t.computeIfAbsent("nbdcopy write", k -> new ArrayList<>()).add(ms("nbdcopy fig.img '" + nbd + "'"));
            t.computeIfAbsent("qemu-img write", k -> new ArrayList<>()).add(ms("qemu-img convert -n -f raw -O raw fig.img '" + iscsi + "'"));
            t.computeIfAbsent("nbdcopy read", k -> new ArrayList<>()).add(ms("nbdcopy '" + nbd + "' n.back"));
            t.computeIfAbsent("qemu-img read", k -> new ArrayList<>()).add(ms("qemu-img convert -f raw -O raw '" + iscsi + "' q.back"));
            f.sh("cmp fig.img n.back; cmp fig.img q.back; rm -f n.back q.back");
        }
        StringBuilder b = new StringBuilder("NBD figure, " + MIB + " MiB, ms per round; load average before: " + load + ", after: "
                + Files.readString(Path.of("/proc/loadavg")).trim() + "\n");
        t.forEach((k, v) -> b.append(String.format("%-15s %s%n", k, v)));
        System.out.println(b);
        assertTrue(t.get("nbdcopy read").size() == ROUNDS);
    }
}
