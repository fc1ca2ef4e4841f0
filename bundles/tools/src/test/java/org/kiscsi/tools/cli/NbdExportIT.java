package org.kiscsi.tools.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.TgtTarget;

/**
 * tgtd LUNs exported over NBD as bin/kiscsi-nbd does, used by libnbd's nbdinfo, nbdcopy and nbdsh and
 * by qemu-img and qemu-io: sizes, block sizes and flags, round trips with equal checksums, FUA, zeroing,
 * discard and flush read back, block status against GET LBA STATUS on a thin LU.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NbdExportIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:nbd";
    private static final long MIB = 1 << 20;
    private static NbdFixture f;
    private static TgtTarget target;
    private static Path socket;

    @BeforeAll
    static void start() throws IOException {
        f = new NbdFixture(IQN, "iqn.2026-11.org.kiscsi:nbd-it");
        target = f.target;
        target.addLun(1, LunBacking.file(64 * MIB));
        target.addLun(2, LunBacking.file(64 * MIB).thinProvisioned());
        long sid = f.login(f.tgtd.portal());
        f.export("rdwr", sid, 1, false);
        f.export("thin", sid, 2, false);
        socket = f.socket;
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static String uri(String export) {
        return f.uri(export);
    }

    private static String sh(String script) throws Exception {
        return f.sh(script);
    }

    @Test
    void nbdinfoSeesSizesBlockSizesAndFlags() throws Exception {
        String rdwr = sh("nbdinfo --json '" + uri("rdwr") + "'");
        assertTrue(rdwr.contains("\"export-size\": 67108864"), rdwr);
        assertTrue(rdwr.contains("\"block_size_minimum\": 512"), rdwr);
        assertTrue(rdwr.contains("\"can_flush\": true") && rdwr.contains("\"can_fua\": true"), rdwr);
        assertTrue(rdwr.contains("\"can_trim\": false"), rdwr);
        String thin = sh("nbdinfo --json '" + uri("thin") + "'");
        assertTrue(thin.contains("\"can_trim\": true") && thin.contains("\"can_zero\": true"), thin);
        assertTrue(thin.contains("base:allocation"), thin);
        String list = sh("nbdinfo --list '" + uri("") + "'");
        assertTrue(list.contains("rdwr") && list.contains("thin"), list);
    }

    @Test
    void nbdcopyRoundTripKeepsChecksums() throws Exception {
        String out = sh("head -c 33554432 /dev/urandom > src.img; nbdcopy src.img '" + uri("rdwr") + "'; nbdcopy --flush '"
                + uri("rdwr") + "' back.img; cmp -n 33554432 src.img back.img && echo same;"
                + " qemu-img compare -f raw -F raw src.img \"$(echo 'nbd+unix:///rdwr?socket=" + socket + "')\" 2>&1 | head -3 || true");
        assertTrue(out.contains("same"), out);
    }

    @Test
    void qemuIoFuaZeroesDiscardAndFlushReadBack() throws Exception {
        String out = sh("qemu-io -f raw -t writeback -c 'write -P 0xab 0 64k' -c 'write -f -P 0xcd 1M 64k' -c 'write -z 2M 1M'"
                + " -c 'discard 4M 1M' -c 'flush' -c 'read -P 0xab 0 64k' -c 'read -P 0xcd 1M 64k' -c 'read -P 0 2M 1M'"
                + " -c 'read -P 0 4M 1M' '" + uri("thin") + "'");
        assertTrue(!out.contains("Pattern verification failed") && !out.contains("failed"), out);
    }

    @Test
    void blockStatusFollowsGetLbaStatusOnTheThinLu() throws Exception {
        sh("qemu-io -f raw -t writeback -c 'write -P 0x11 8M 1M' -c 'discard 9M 1M' -c flush '" + uri("thin") + "'");
        String map = sh("nbdinfo --map '" + uri("thin") + "'");
        // the written MiB is data; the discarded one after it a hole that reads zeros
        assertTrue(map.matches("(?s).*\\b8388608\\s+1048576\\s+0\\s+data.*"), map);
        assertTrue(map.matches("(?s).*\\b9437184\\s+\\d+\\s+3\\s+hole,zero.*"), map);
        String s = sh("nbdsh --base-allocation -u '" + uri("thin") + "' -c "
                + "'h.block_status(2097152, 8388608, lambda c,o,e,err: print(c, o, e))'");
        assertTrue(s.contains("base:allocation 8388608 [1048576, 0, 1048576, 3]"), s);
    }
}
