package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.BeforeClass;
import org.junit.Test;
import org.kiscsi.api.Portal;
import org.kiscsi.itests.UnpackedDistribution.Split;
import org.kiscsi.testkit.peers.OpenIscsiAdm;

/**
 * Issue 14: twenty bin/iscsiadm {@code -m node -o update} runs at once on one record, each setting
 * a different key, leave it complete (all twenty values), well-formed (open-iscsi's layout, every key
 * once) and readable by open-iscsi's own iscsiadm, which shows the same twenty values.
 */
public class IscsiadmConcurrentUpdateIT extends IscsiadmEndToEnd {
    private static final String DISK = "iqn.2026-11.org.kiscsi.it:concurrent-disk";
    /** Twenty keys, each with a value none of them has by default. */
    private static final Map<String, String> UPDATES = new LinkedHashMap<>();

    static {
        UPDATES.put("node.session.timeo.replacement_timeout", "121");
        UPDATES.put("node.conn[0].timeo.login_timeout", "17");
        UPDATES.put("node.conn[0].timeo.logout_timeout", "18");
        UPDATES.put("node.conn[0].timeo.noop_out_interval", "7");
        UPDATES.put("node.conn[0].timeo.noop_out_timeout", "8");
        UPDATES.put("node.session.err_timeo.abort_timeout", "19");
        UPDATES.put("node.session.err_timeo.lu_reset_timeout", "31");
        UPDATES.put("node.session.err_timeo.tgt_reset_timeout", "32");
        UPDATES.put("node.session.initial_login_retry_max", "5");
        UPDATES.put("node.session.cmds_max", "64");
        UPDATES.put("node.session.queue_depth", "16");
        UPDATES.put("node.session.iscsi.InitialR2T", "Yes");
        UPDATES.put("node.session.iscsi.ImmediateData", "No");
        UPDATES.put("node.session.iscsi.FirstBurstLength", "131072");
        UPDATES.put("node.session.iscsi.MaxBurstLength", "524288");
        UPDATES.put("node.conn[0].iscsi.MaxRecvDataSegmentLength", "131072");
        UPDATES.put("node.conn[0].iscsi.HeaderDigest", "CRC32C");
        UPDATES.put("node.conn[0].iscsi.DataDigest", "CRC32C");
        UPDATES.put("node.session.auth.username", "concurrent-user");
        UPDATES.put("node.startup", "automatic");
    }

    @BeforeClass
    public static void setUp() throws Exception {
        unpackAndStartTgtd();
        startDaemon();
    }

    @Test
    public void twentyConcurrentUpdatesLeaveTheRecordCompleteAndConsistent() throws Exception {
        Portal portal = Portal.of("127.0.0.1", 3260, 1);
        records.write(DISK, portal, Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(UPDATES.size());
        List<Future<Split>> runs = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (Map.Entry<String, String> e : UPDATES.entrySet()) {
                runs.add(pool.submit(() -> iscsiadm("-m", "node", "-T", DISK, "-p", "127.0.0.1:3260", "-o", "update", "-n", e.getKey(),
                        "-v", e.getValue())));
            }
            List<String> failed = new ArrayList<>();
            for (Future<Split> f : runs) {
                Split r = f.get(100, TimeUnit.SECONDS);
                if (r.exit() != 0) {
                    failed.add(r.toString());
                }
            }
            assertTrue("every update exits 0: " + failed, failed.isEmpty());
        } finally {
            pool.shutdownNow();
        }
        System.out.println("IscsiadmConcurrentUpdateIT: " + UPDATES.size() + " updates in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");

        Path file = records.storeRoot().resolve("nodes/" + DISK + "/127.0.0.1,3260,1/default");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals("open-iscsi's first line: " + file, "# BEGIN RECORD 2.1.8", lines.get(0));
        assertEquals("open-iscsi's last line: " + file, "# END RECORD", lines.get(lines.size() - 1));
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (String l : lines.subList(1, lines.size() - 1)) {
            int eq = l.indexOf(" = ");
            assertTrue("a 'key = value' line: '" + l + "' in " + file, eq > 0);
            String key = l.substring(0, eq);
            assertTrue("key " + key + " once only in " + file, seen.add(key));
            values.put(key, l.substring(eq + 3));
        }
        for (Map.Entry<String, String> e : UPDATES.entrySet()) {
            assertEquals(e.getKey() + " in " + file, e.getValue(), values.get(e.getKey()));
        }

        OpenIscsiAdm oracle = records.openIscsi(dist.tmp());
        OpenIscsiAdm.Run show = oracle.run("-m", "node", "-T", DISK, "-p", "127.0.0.1:3260", "-o", "show");
        assertEquals("open-iscsi's iscsiadm reads the record: " + show.stderr(), 0, show.exit());
        Map<String, String> theirs = OpenIscsiAdm.parseShow(show.stdout());
        for (Map.Entry<String, String> e : UPDATES.entrySet()) {
            assertEquals(e.getKey() + " as open-iscsi reads it", e.getValue(), theirs.get(e.getKey()));
        }
        Split ours = iscsiadm("-m", "node", "-T", DISK, "-p", "127.0.0.1:3260", "-o", "show");
        assertEquals(ours.toString(), 0, ours.exit());
        assertEquals("bin/iscsiadm shows what open-iscsi shows", show.stdout(), ours.stdout());
    }
}
