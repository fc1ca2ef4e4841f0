package org.kiscsi.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.testkit.peers.LunBacking;

/**
 * The export seen through nbdkit's nbd plugin with the log filter as a proxy (nbdkit has no conformance
 * mode; the plugin is a libnbd client, so it checks the handshake, and the filter logs what was
 * negotiated and every request with its flags and result): the flags each kind of LUN advertises, and
 * the requests nbdcopy, qemu-io, nbdinfo and nbdsh send, answered as they should be.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NbdLogProxyIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:nbd-log";
    private static final long MIB = 1 << 20;
    private static final Pattern CONNECT = Pattern.compile("connection=\\d+ Connect export=\"?(\\S*?)\"? tls=0 (.*)");
    private static final Pattern REQUEST = Pattern.compile("connection=(\\d+) (\\w+) id=(\\d+) (.*?) ?\\.\\.\\.$");
    private static final Pattern RESULT = Pattern.compile("connection=(\\d+) \\.\\.\\.(\\w+) id=(\\d+) (.*)$");
    private static NbdFixture f;

    @BeforeAll
    static void start() throws IOException {
        f = new NbdFixture(IQN, "iqn.2026-11.org.kiscsi:nbd-log-it");
        f.target.addLun(1, LunBacking.file(64 * MIB));
        f.target.addLun(2, LunBacking.file(64 * MIB).thinProvisioned());
        long sid = f.login(f.tgtd.portal());
        f.export("rdwr", sid, 1, false);
        f.export("thin", sid, 2, false);
        f.export("ro", sid, 1, true);
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    /** Runs {@code client} with {@code $uri} naming nbdkit's proxy in front of {@code export}; its output. */
    private static String throughLog(String export, String client) throws Exception {
        return f.sh("nbdkit -v -U - --filter=log nbd socket=" + f.socket + " export=" + export + " logfile=./" + export
                + ".log --run '" + client + "' 2> " + export + ".err; grep -o 'NBD_OPT_GO: client requested export.*\\|flags: export 0x[0-9a-f]*'"
                + " " + export + ".err | sort -u");
    }

    private static List<String> log(String export) throws IOException {
        return Files.readAllLines(f.dir.resolve(export + ".log"));
    }

    /** What the Connect line says the export offers (write, flush, trim, zero, fua, extents, cache, fast_zero, block sizes). */
    private static Map<String, String> offered(String export) throws IOException {
        for (String line : log(export)) {
            Matcher m = CONNECT.matcher(line.substring(line.indexOf("connection=") < 0 ? 0 : line.indexOf("connection=")));
            if (m.matches()) {
                Map<String, String> kv = new LinkedHashMap<>();
                for (String w : m.group(2).split(" ")) {
                    kv.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
                }
                return kv;
            }
        }
        throw new AssertionError("no Connect line in " + log(export));
    }

    @Test
    void eachExportAdvertisesExactlyWhatItsLunHolds() throws Exception {
        String client = "nbdinfo --can multi-conn \"$uri\" && echo multi-conn=yes || echo multi-conn=no;"
                + " nbdinfo \"$uri\" | grep -o \"using structured packets\"";
        Map<String, String> out = new LinkedHashMap<>();
        for (String export : List.of("rdwr", "thin", "ro")) {
            out.put(export, throughLog(export, client));
        }
        // the transmission flags nbdkit passes on, from the plugin's view of the export (DF: structured replies)
        assertTrue(out.get("rdwr").contains("flags: export 0xdcd"), "HAS_FLAGS FLUSH FUA WRITE_ZEROES DF MULTI_CONN CACHE FAST_ZERO: "
                + out.get("rdwr"));
        assertTrue(out.get("thin").contains("flags: export 0xded"), "... and TRIM: " + out.get("thin"));
        assertTrue(out.get("ro").contains("flags: export 0x587"), "HAS_FLAGS READ_ONLY FLUSH DF MULTI_CONN CACHE: " + out.get("ro"));
        // nbdkit's nbd plugin mirrors the export: 0 = no, 1 = yes (emulated by nbdkit), 2 = native
        assertEquals(Map.of("size", "0x4000000", "minsize", "0x200", "write", "1", "flush", "1", "rotational", "0", "trim", "0",
                "zero", "2", "fua", "2", "extents", "0", "cache", "2"), without(offered("rdwr"), "prefsize", "maxsize", "fast_zero"));
        assertEquals("1", offered("rdwr").get("fast_zero"), "FAST_ZERO is offered; requests are refused where zeroing is slow");
        assertEquals(Map.of("size", "0x4000000", "minsize", "0x200", "write", "1", "flush", "1", "rotational", "0", "trim", "1",
                "zero", "2", "fua", "2", "extents", "1", "cache", "2"), without(offered("thin"), "prefsize", "maxsize", "fast_zero"));
        Map<String, String> ro = offered("ro");
        assertEquals("0", ro.get("write"), ro.toString());
        assertEquals("0", ro.get("trim"), ro.toString());
        for (String export : out.keySet()) {
            assertTrue(out.get(export).contains("multi-conn=yes"), export + ": one LU behind every connection: " + out.get(export));
            assertTrue(out.get(export).contains("using structured packets"), out.get(export));
        }
    }

    private static Map<String, String> without(Map<String, String> m, String... keys) {
        Map<String, String> c = new LinkedHashMap<>(m);
        for (String k : keys) {
            c.remove(k);
        }
        return c;
    }

    @Test
    void theToolsRequestsAreAnsweredAsTheyAsk() throws Exception {
        f.sh("head -c 8388608 /dev/urandom > src.img; printf '%s\\n' 'import nbd, sys' 'h = nbd.NBD()' 'h.connect_uri(sys.argv[1])'"
                + " 'h.cache(65536, 0)' 'try:' '    h.zero(65536, 20 << 20, nbd.CMD_FLAG_FAST_ZERO); print(\"fast-zero done\")'"
                + " 'except nbd.Error as e: print(\"fast-zero refused\", e.errnum)' 'h.shutdown()' > fastzero.py");
        String client = "nbdcopy src.img \"$uri\"; nbdcopy \"$uri\" - | head -c 8388608 | cmp - src.img && echo same;"
                + " qemu-io -f raw -t writeback -c \"write -f -P 0xcd 16M 4k\" -c \"write -z 17M 64k\" -c \"write -z -u 18M 64k\""
                + " -c \"discard 19M 64k\" -c flush -c \"read -P 0xcd 16M 4k\" \"$uri\"; nbdinfo --map \"$uri\";"
                + " python3 fastzero.py \"$uri\"";
        String thin = throughLog("thin", client);
        List<String> t = exchanges(log("thin"));
        // nbdcopy: 256 KiB writes without FUA, then reads (and block status, the LU being thin)
        assertEquals(32, t.stream().filter(x -> x.matches("Write offset=0x[0-9a-f]+ count=0x40000 fua=0 => return=0")).count(), t.toString());
        assertTrue(thin.contains("same"), thin);
        assertTrue(t.stream().anyMatch(x -> x.matches("Read offset=0x0 count=0x[0-9a-f]+ => return=0")), t.toString());
        assertTrue(t.stream().anyMatch(x -> x.matches("Extents offset=0x0 count=0x[0-9a-f]+ req_one=0 => extents=\\(0x0 0x[0-9a-f]+ \"\"\\) return=0")),
                t.toString());
        // qemu-io: FUA only where asked, zeroing with and without NO_HOLE, discard, flush
        for (String x : List.of("Write offset=0x1000000 count=0x1000 fua=1 => return=0",
                "Zero offset=0x1100000 count=0x10000 trim=0 fua=0 fast=0 => return=0",
                "Zero offset=0x1200000 count=0x10000 trim=1 fua=0 fast=0 => return=0",
                "Trim offset=0x1300000 count=0x10000 fua=0 => return=0", "Flush => return=0",
                "Read offset=0x1000000 count=0x1000 => return=0", "Cache offset=0x0 count=0x10000 => return=0")) {
            assertTrue(t.contains(x), x + " in " + t);
        }
        // ... and what they left: NO_HOLE wrote zeros as data, the others made holes that read zeros
        assertTrue(thin.matches("(?s).*\\b17825792\\s+65536\\s+0\\s+data.*"), thin);
        assertTrue(thin.matches("(?s).*\\b17891328\\s+\\d+\\s+3\\s+hole,zero.*"), thin);
        assertEquals(1, t.stream().filter(x -> x.endsWith("fua=1 => return=0")).count(), "only write -f carries FUA: " + t);

        String rdwr = throughLog("rdwr", client);
        List<String> r = exchanges(log("rdwr"));
        assertTrue(rdwr.contains("same"), rdwr);
        // FAST_ZERO: done where zeroing is an unmap that reads zeros (the thin LU), refused at once elsewhere
        assertTrue(t.contains("Zero offset=0x1400000 count=0x10000 trim=1 fua=0 fast=1 => return=0"), t.toString());
        assertTrue(thin.contains("fast-zero done"), thin);
        assertTrue(r.contains("Zero offset=0x1400000 count=0x10000 trim=1 fua=0 fast=1 => return=-1 error=ENOTSUP"), r.toString());
        assertTrue(rdwr.contains("fast-zero refused 95"), rdwr);
        // every other request succeeded; the LU without UNMAP saw no trim and no block status
        assertEquals(List.of(), t.stream().filter(x -> !x.endsWith("return=0")).toList());
        assertEquals(1, r.stream().filter(x -> !x.endsWith("return=0")).count(), r.toString());
        assertTrue(r.stream().noneMatch(x -> x.startsWith("Trim") || x.startsWith("Extents")), r.toString());
    }

    /** Each request line of the log with its result line, "Verb args => result", in the order sent. */
    static List<String> exchanges(List<String> lines) {
        Map<String, String> open = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        for (String line : lines) {
            int at = line.indexOf("connection=");
            if (at < 0) {
                continue;
            }
            String l = line.substring(at);
            Matcher q = REQUEST.matcher(l);
            Matcher r = RESULT.matcher(l);
            if (q.matches()) {
                open.put(q.group(1) + "/" + q.group(3), (q.group(2) + " " + q.group(4)).trim());
            } else if (r.matches()) {
                String req = open.remove(r.group(1) + "/" + r.group(3));
                done.add(req + " => " + r.group(4));
            }
        }
        assertTrue(open.isEmpty(), "requests never answered: " + open.values());
        return done;
    }
}
