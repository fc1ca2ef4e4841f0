package org.kiscsi.tools.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.testkit.peers.IscsiUrl;
import org.kiscsi.testkit.peers.LibiscsiTools;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.QemuImg;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.testkit.peers.Tool;

/**
 * The LUN tools against tgtd, beside libiscsi's own tools on the same LUNs: kiscsi-inq, kiscsi-readcap
 * and kiscsi-ls field by field against iscsi-inq, iscsi-readcapacity16 and iscsi-ls -s; kiscsi-dd round
 * trips checked by checksums and qemu-img; kiscsi-pr with two initiator names; the failures' exit codes.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LunToolsIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:tools";
    private static final long MIB = 1 << 20;
    private static Tgtd tgtd;
    private static TgtTarget target;

    @BeforeAll
    static void start() {
        Tool.require(Tool.TGTD, Tool.ISCSI_INQ, Tool.ISCSI_LS, Tool.ISCSI_READCAPACITY16, Tool.QEMU_IMG);
        tgtd = Tgtd.start(Loopback.IPV4);
        target = tgtd.createTarget(IQN);
        target.addLun(1, LunBacking.file(64 * MIB));
        target.addLun(2, LunBacking.file(64 * MIB));
        target.addLun(3, LunBacking.file(16 * MIB));
        target.addLun(4, LunBacking.file(16 * MIB).thinProvisioned());
        target.allowAll();
    }

    @AfterAll
    static void stop() {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    private static String url(int lun) {
        return target.url(lun).uri();
    }

    @Test
    void inqEqualsIscsiInqFieldByField() {
        LibiscsiTools libiscsi = LibiscsiTools.create();
        for (int lun : new int[] {0, 1, 4}) {
            Run ours = Run.of(new KiscsiInq(), url(lun));
            assertEquals(0, ours.code(), ours.toString());
            Map<String, String> k = Run.fields(ours.out());
            Map<String, String> l = Run.fields(libiscsi.run(Tool.ISCSI_INQ, target.url(lun)).requireSuccess("iscsi-inq").stdout());
            for (String key : List.of("Peripheral Qualifier", "Peripheral Device Type", "Removable", "NormACA", "HiSup",
                    "ReponseDataFormat", "SCCS", "TPGS", "3PC", "Protect", "EncServ", "MultiP", "CmdQue", "Vendor", "Product",
                    "Revision")) {
                assertEquals(l.get(key), k.get(key), "LUN " + lun + " " + key + "\n" + ours.out());
            }
            assertEquals(l.get("Version").split(" ")[0], k.get("Version").split(" ")[0], "LUN " + lun + " Version");
            assertEquals(descriptors(libiscsiText(lun, "-e", "0")), descriptors(ours.out()), "version descriptors of LUN " + lun);
        }
        // the VPD pages: the list, the serial number, the designators, block limits, provisioning (LUN 4 is thin)
        for (int page : new int[] {0x00, 0x80, 0x83, 0xB0, 0xB2}) {
            int lun = page == 0xB2 ? 4 : 1;
            Run ours = Run.of(new KiscsiInq(), "-e", "1", "-c", String.format("0x%02x", page), url(lun));
            assertEquals(0, ours.code(), ours.toString());
            String theirs = libiscsiText(lun, "-e", "1", "-c", Integer.toString(page));
            if (page == 0x00) {
                assertEquals(lines(theirs, "Page:"), lines(ours.out(), "Page:"), "VPD 0x00");
            } else if (page == 0x83) {
                assertEquals(designators(theirs, true), designators(ours.out(), false), "VPD 0x83\n" + ours.out() + "\n" + theirs);
            } else {
                Map<String, String> l = Run.fields(theirs);
                Map<String, String> k = Run.fields(ours.out());
                assertFalse(l.isEmpty(), theirs);
                assertEquals(l, k, String.format("VPD 0x%02x of LUN %d", page, lun));
            }
        }
        Run all = Run.of(new KiscsiInq(), "--all", url(1));
        assertEquals(0, all.code(), all.toString());
        assertTrue(all.out().contains("VPD page 0x83 DEVICE_IDENTIFICATION") && all.out().contains("Unit Serial Number:["), all.out());
    }

    private static String libiscsiText(int lun, String... args) {
        return LibiscsiTools.create().run(Tool.ISCSI_INQ, target.url(lun), args).requireSuccess("iscsi-inq").stdout();
    }

    /**
     * The designators, sorted (libiscsi 1.19 lists them in reverse order); a binary one as the C string
     * iscsi-inq 1.19 prints of its bytes (printf %s: up to the first zero byte).
     */
    private static List<String> designators(String text, boolean libiscsi) {
        List<String> out = new ArrayList<>();
        for (String block : text.split("DEVICE DESIGNATOR #\\d+\n")) {
            if (!block.contains("Designator:[")) {
                continue;
            }
            Map<String, String> f = Run.fields(block);
            String d = block.substring(block.indexOf("Designator:[") + 12, block.lastIndexOf(']'));
            if (!libiscsi && f.get("Code Set").startsWith("(1)")) {
                StringBuilder c = new StringBuilder();
                for (String hex : d.strip().split(" ")) {
                    int b = Integer.parseInt(hex, 16);
                    if (b == 0) {
                        break;
                    }
                    c.append((char) b);
                }
                d = c.toString();
            }
            out.add(f.get("Code Set") + "|" + f.get("PIV") + "|" + f.get("Association") + "|"
                    + f.get("Designator Type").replace("T10_VENDORT_ID", "T10_VENDOR_ID") + "|" + d);
        }
        out.sort(null);
        return out;
    }

    private static List<String> descriptors(String text) {
        List<String> d = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^Version Descriptor:([0-9a-f]{4})").matcher(text);
        while (m.find()) {
            d.add(m.group(1));
        }
        return d;
    }

    /** Lines starting with {@code prefix}, names of the page codes left out (libiscsi knows fewer). */
    private static List<String> lines(String text, String prefix) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix) && !line.isBlank()) {
                out.add(prefix.equals("Page:") ? line.split(" ")[0] : line.replace("T10_VENDORT_ID", "T10_VENDOR_ID"));
            }
        }
        return out;
    }

    @Test
    void readcapPrintsWhatIscsiReadcapacity16Prints() {
        for (int lun : new int[] {1, 3, 4}) {
            Run ours = Run.of(new KiscsiReadcap(), url(lun));
            assertEquals(0, ours.code(), ours.toString());
            String theirs = LibiscsiTools.create().run(Tool.ISCSI_READCAPACITY16, target.url(lun)).requireSuccess("readcap").stdout();
            assertEquals(theirs, ours.out(), "LUN " + lun);
        }
        assertTrue(Run.of(new KiscsiReadcap(), url(4)).out().contains("LBPME:1"), "the thin LUN is provisioned");
        Run size = Run.of(new KiscsiReadcap(), "-s", url(1));
        assertEquals(64 * MIB + "\n", size.out());
    }

    @Test
    void lsListsWhatIscsiLsListsAndGoesOnPastACHAPTarget() {
        Run ours = Run.of(new KiscsiLs(), "-s", tgtd.portalUrl().uri());
        assertEquals(0, ours.code(), ours.toString());
        String theirs = LibiscsiTools.create().run(Tool.ISCSI_LS, tgtd.portalUrl(), "-s").requireSuccess("iscsi-ls").stdout();
        Pattern lunLine = Pattern.compile("(?m)^Lun:(\\d+)\\s+Type:(\\S+)(?: \\(Size:(\\d+)(.)\\))?");
        Matcher k = lunLine.matcher(ours.out());
        Matcher l = lunLine.matcher(theirs);
        int n = 0;
        while (l.find()) {
            assertTrue(k.find(), "kiscsi-ls has fewer LUNs:\n" + ours.out() + "\niscsi-ls:\n" + theirs);
            assertEquals(l.group(1), k.group(1));
            assertEquals(l.group(2), k.group(2));
            if (l.group(3) != null) {
                // iscsi-ls sizes the LU one block short (last LBA x block size); kiscsi the whole LU
                long lunBytes = Long.parseLong(Run.of(new KiscsiReadcap(), "-s", url(Integer.parseInt(l.group(1)))).out().strip());
                assertEquals(l.group(3) + l.group(4), org.kiscsi.tools.lun.LunListing.size(lunBytes - 512).strip());
                assertEquals(k.group(3) + k.group(4), org.kiscsi.tools.lun.LunListing.size(lunBytes).strip());
            }
            n++;
        }
        assertEquals(5, n, theirs);
        assertFalse(k.find(), "kiscsi-ls has more LUNs:\n" + ours.out());
        assertTrue(ours.out().contains("Target:" + IQN + " Portal:" + tgtd.portal().hostPort() + ",1"), ours.out());
        assertTrue(ours.out().contains("Vendor:IET Product:VIRTUAL-DISK"), ours.out());

        // a second target that wants CHAP: iscsi-ls -s stops there, kiscsi-ls reports it and lists the rest
        try (Tgtd two = Tgtd.start(Loopback.IPV4)) {
            TgtTarget chap = two.createTarget("iqn.2026-11.org.kiscsi.it:a-chap");
            chap.addLun(1, LunBacking.nullDevice());
            chap.requireChap(new org.kiscsi.testkit.peers.ChapCredentials("lsuser", "ls-secret-1234"));
            chap.allowAll();
            TgtTarget open = two.createTarget("iqn.2026-11.org.kiscsi.it:b-open");
            open.addLun(1, LunBacking.file(16 * MIB));
            open.allowAll();
            Run r = Run.of(new KiscsiLs(), "-s", two.portalUrl().uri());
            assertEquals(24, r.code(), "the first failure's exit code, authentication failed: " + r);
            assertTrue(r.err().contains("a-chap") && r.err().contains("login failed"), r.toString());
            assertTrue(r.out().contains("Target:iqn.2026-11.org.kiscsi.it:b-open") && r.out().contains("Lun:1    Type:DIRECT_ACCESS (Size:16M)"),
                    r.toString());
        }
    }

    @Test
    void ddRoundTripOfAWholeLunAndBetweenLuns(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src.img");
        byte[] data = new byte[(int) (64 * MIB)];
        new Random(18).nextBytes(data);
        Files.write(src, data);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));

        Run in = Run.of(Run.dd(), "if=" + src, "of=" + url(1), "bs=1M", "status=none");
        assertEquals(0, in.code(), in.toString());
        assertEquals("", in.err(), "status=none prints nothing");
        // qemu-img (libiscsi underneath) reads back what kiscsi-dd wrote
        Path viaQemu = dir.resolve("qemu.img");
        QemuImg.create().readFromLun(target.url(1), viaQemu);
        assertArrayEquals(data, Files.readAllBytes(viaQemu));

        Run between = Run.of(Run.dd(), "if=" + url(1), "of=" + url(2), "bs=4M", "qd=8");
        assertEquals(0, between.code(), between.toString());
        assertTrue(between.err().contains("sha256 " + sha), between.toString());
        assertTrue(between.err().contains("67108864 bytes (64.0 MiB) copied"), between.toString());

        Path back = dir.resolve("back.img");
        Run out = Run.of(Run.dd(), "if=" + url(2), "of=" + back, "bs=1M", "status=default");
        assertEquals(0, out.code(), out.toString());
        assertTrue(out.err().contains("sha256 " + sha), out.toString());
        assertArrayEquals(data, Files.readAllBytes(back));

        // skip, seek and count in bs units, FUA writes; the rest of the LUN stays as it was
        Run part = Run.of(Run.dd(), "if=" + src, "of=" + url(3), "bs=64K", "skip=2", "seek=3", "count=5", "oflag=fua");
        assertEquals(0, part.code(), part.toString());
        Path lun3 = dir.resolve("lun3.img");
        QemuImg.create().readFromLun(target.url(3), lun3);
        byte[] got = Files.readAllBytes(lun3);
        for (int i = 0; i < 5 * 65536; i++) {
            if (got[3 * 65536 + i] != data[2 * 65536 + i]) {
                throw new AssertionError("byte " + i + " of the copied range differs");
            }
        }
        assertEquals(0, got[3 * 65536 - 1]);
        assertEquals(0, got[8 * 65536]);

        Run unaligned = Run.of(Run.dd(), "if=" + src, "of=" + url(3), "bs=100", "count=1");
        assertEquals(7, unaligned.code(), unaligned.toString());
        assertTrue(unaligned.err().contains("not a whole number of 512-byte blocks"), unaligned.toString());
        Run tooBig = Run.of(Run.dd(), "if=" + src, "of=" + url(3), "bs=1M");
        assertEquals(7, tooBig.code(), tooBig.toString());
        assertTrue(tooBig.err().contains("do not fit"), tooBig.toString());
    }

    @Test
    void reservationsWithTwoInitiatorNames() {
        String a = "iqn.2026-11.org.kiscsi.it:pr-a";
        String b = "iqn.2026-11.org.kiscsi.it:pr-b";
        Run ra = Run.of(new KiscsiPr(), "-i", a, url(3), "register", "0xa1", "reserve", "0xa1", "we");
        assertEquals(0, ra.code(), ra.toString());
        Run rb = Run.of(new KiscsiPr(), "-i", b, url(3), "register", "0xb2", "reserve", "0xb2", "we");
        assertEquals(13, rb.code(), "the conflict: " + rb);
        assertTrue(rb.err().contains("RESERVATION CONFLICT"), rb.toString());
        Run show = Run.of(new KiscsiPr(), "-i", b, url(3), "show");
        assertEquals(0, show.code(), show.toString());
        assertTrue(show.out().contains("2 registered reservation keys follow:\n    0xa1\n    0xb2\n"), show.out());
        assertTrue(show.out().contains("Key=0xa1\n    scope: LU_SCOPE,  type: Write Exclusive\n"), show.out());
        // B may not write under A's WRITE EXCLUSIVE reservation
        Run write = Run.of(Run.dd(), "-i", b, "if=/dev/zero", "of=" + url(3), "bs=4K", "count=1");
        assertEquals(13, write.code(), write.toString());
        assertEquals(1, Run.of(new KiscsiPr(), url(3), "reserve", "0xa1").code(), "a verb short of its arguments is a usage error");
        assertEquals(1, Run.of(new KiscsiPr(), url(3), "reserve", "0xa1", "xx").code());
    }

    @Test
    void failuresEndWithOpenIscsisCodesAndSayWhat() {
        Run unknownLun = Run.of(new KiscsiInq(), url(9));
        assertEquals(21, unknownLun.code(), unknownLun.toString());
        assertTrue(unknownLun.err().contains("has no LUN 9 (it reports LUN 0, 1, 2, 3, 4)"), unknownLun.toString());
        Run noTarget = Run.of(new KiscsiInq(), tgtd.portalUrl().lun("iqn.2026-11.org.kiscsi.it:none", 1).uri());
        assertEquals(19, noTarget.code(), noTarget.toString());
        assertTrue(noTarget.err().contains("target not found"), noTarget.toString());
        int closed = org.kiscsi.testkit.peers.FreePorts.pick(Loopback.IPV4);
        Run unreachable = Run.of(new KiscsiReadcap(), IscsiUrl.lun("127.0.0.1", closed, IQN, 1).uri());
        assertEquals(4, unreachable.code(), unreachable.toString());
        assertTrue(unreachable.err().contains("127.0.0.1:" + closed), unreachable.toString());
        Run bad = Run.of(new KiscsiInq(), "iscsi://127.0.0.1/" + IQN);
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("names no LUN") && bad.err().contains("iscsi://[<username>"), bad.toString());
        assertEquals(1, Run.of(new KiscsiInq(), "--bogus", url(1)).code());
        Run help = Run.of(new KiscsiDd(null), "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("if=") && help.out().contains("LIBISCSI_CHAP_PASSWORD"), help.out());
    }
}
