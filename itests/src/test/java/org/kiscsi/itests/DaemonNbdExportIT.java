package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.junit.BeforeClass;
import org.junit.Test;
import org.kiscsi.itests.UnpackedDistribution.Result;

/**
 * The daemon's NBD export on the assembled distribution: an export of etc/org.kiscsi.export.nbd.cfg on
 * the session bin/iscsiadm logs in, used by nbdinfo, nbdcopy and qemu-img compare over the Unix socket
 * and loopback TCP; a garbling client leaves it serving; after a logout and a new login the export
 * serves from the new session.
 */
public class DaemonNbdExportIT extends DaemonAgainstTgtd {
    private static final String DISK = "iqn.2026-11.org.kiscsi.it:nbd-disk";

    private static String adminPassword;

    @BeforeClass
    public static void setUp() throws Exception {
        startPeers(DISK);
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        adminPassword = HexFormat.of().formatHex(random);
        Files.writeString(dist.home().resolve("etc/users.properties"), "\nnbd-admin = " + adminPassword + ",_g_:itadmins\n"
                + "_g_\\:itadmins = group,admin,manager,viewer,systembundles,ssh\n", StandardOpenOption.APPEND);
    }

    /** Console commands over SSH as an admin (bin/client -b reads them from standard input, kept open a while). */
    private static Result console(String commands) throws Exception {
        Path in = Files.createTempFile(dist.tmp(), "client-", ".in");
        Files.writeString(in, commands + "\n");
        Path out = Files.createTempFile(dist.tmp(), "client-", ".out");
        ProcessBuilder pb = dist.command("bash", "-c", "(cat '" + in + "'; sleep 8) | bin/client -r 30 -d 1 -u nbd-admin -p "
                + adminPassword + " -b");
        pb.environment().put("KARAF_OPTS", "-Duser.home=" + dist.tmp());
        Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("bin/client did not finish within 120 s: " + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static boolean fileSays(Path cfg, String regex) {
        try {
            return Files.readAllLines(cfg).stream().anyMatch(l -> l.matches(regex));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private Result sh(String script) throws Exception {
        return UnpackedDistribution.exec(dist.tmp(), dist.home(), 120, "bash", "-c", "set -e -o pipefail; " + script);
    }

    private static void awaitServing(String uri) throws Exception {
        assertTrue("the export did not serve " + uri, UnpackedDistribution.waitFor(() -> {
            try {
                return UnpackedDistribution.exec(dist.tmp(), dist.home(), 20, "nbdinfo", "--size", uri).exit() == 0;
            } catch (Exception e) {
                return false;
            }
        }, 30));
    }

    @Test
    public void anExportOfTheConfigurationServesTheSessionIscsiadmMade() throws Exception {
        int port = UnpackedDistribution.freePort();
        Path cfg = dist.home().resolve("etc/org.kiscsi.export.nbd.cfg");
        UnpackedDistribution.setLine(cfg, "tcp.port", Integer.toString(port));
        UnpackedDistribution.setLine(cfg, "export.disk", DISK + " " + portal() + " 1");
        records.write(DISK, tgtd.portal(), false);
        dist.startWithEngine();
        Result login = dist.bin("iscsiadm", "-m", "node", "-T", DISK, "-p", portal(), "--login");
        assertEquals(login.output(), 0, login.exit());

        Path socket = dist.home().resolve("run/nbd/nbd.sock");
        String unix = "nbd+unix:///disk?socket=" + socket;
        String tcp = "nbd://127.0.0.1:" + port + "/disk";
        awaitServing(unix);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));

        Result info = sh("nbdinfo --json '" + tcp + "'");
        assertEquals(info.output(), 0, info.exit());
        assertTrue(info.output(), info.output().contains("\"export-size\": 16777216"));

        Result copy = sh("head -c 16777216 /dev/urandom > src.img; nbdcopy src.img '" + unix + "'; nbdcopy '" + tcp
                + "' back.img; cmp src.img back.img; qemu-img compare -f raw -F raw src.img '" + tcp + "'");
        assertEquals(copy.output(), 0, copy.exit());
        assertTrue(copy.output(), copy.output().contains("Images are identical."));

        // a client sending garbage is dropped; the export serves on
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            InputStream in = s.getInputStream();
            in.readNBytes(18);
            OutputStream out = s.getOutputStream();
            out.write(new byte[] { 0, 0, 0, 1, 'g', 'a', 'r', 'b', 'a', 'g', 'e', '!', 0, 0, 0, 7, 0x7f, 0, 0, 0 });
            out.flush();
            s.setSoTimeout(10_000);
            assertTrue("the server closes on a wrong option magic", in.readAllBytes().length >= 0);
        }
        Result after = sh("qemu-img compare -f raw -F raw src.img '" + unix + "'");
        assertEquals(after.output(), 0, after.exit());

        // logged out and in again: the export comes back with the new session
        Result logout = dist.bin("iscsiadm", "-m", "node", "-T", DISK, "-p", portal(), "--logout");
        assertEquals(logout.output(), 0, logout.exit());
        Result relogin = dist.bin("iscsiadm", "-m", "node", "-T", DISK, "-p", portal(), "--login");
        assertEquals(relogin.output(), 0, relogin.exit());
        Result again = sh("qemu-img compare -f raw -F raw src.img '" + unix + "'");
        assertEquals(again.output(), 0, again.exit());
    }

    @Test
    public void anExportAddedFromTheConsoleIsKeptInTheFileAndServesAfterARestart() throws Exception {
        Path cfg = dist.home().resolve("etc/org.kiscsi.export.nbd.cfg");
        records.write(DISK, tgtd.portal(), false);
        dist.startWithEngine();
        Result login = dist.bin("iscsiadm", "-m", "node", "-T", DISK, "-p", portal(), "--login");
        assertEquals(login.output(), 0, login.exit());
        Result add = console("iscsi:export-add -T " + DISK + " -p " + portal() + " -l 1 kept\n"
                + "iscsi:export-add --nonpersistent -T " + DISK + " -p " + portal() + " -l 1 once\niscsi:export-list");
        assertTrue(add.output(), add.output().contains("kept: ") && add.output().contains("(configured)")
                && add.output().contains("(this run only)"));
        String kept = "export\\.kept\\s*=\\s*" + DISK.replace(".", "\\.") + " " + portal().replace(".", "\\.") + "(,\\d+)? 1";
        assertTrue("the kept export is written into " + cfg, UnpackedDistribution.waitFor(() -> fileSays(cfg, kept), 30));
        assertTrue(Files.readString(cfg), !fileSays(cfg, "export\\.once\\s*=.*"));
        assertTrue("the file's comments stay", Files.readString(cfg).contains("# Exports: export.<name>"));
        Path socket = dist.home().resolve("run/nbd/nbd.sock");
        awaitServing("nbd+unix:///kept?socket=" + socket);

        // a new run of the daemon: the kept export is back, the other is not
        dist.stopDaemons();
        dist.startWithEngine();
        Result again = dist.bin("iscsiadm", "-m", "node", "-T", DISK, "-p", portal(), "--login");
        assertTrue("logged in, or the session is back already (the daemon re-establishes its sessions): " + again.output(),
                again.exit() == 0 || again.exit() == 15);
        awaitServing("nbd+unix:///kept?socket=" + socket);
        Result copy = sh("head -c 1048576 /dev/urandom > k.img; nbdcopy k.img 'nbd+unix:///kept?socket=" + socket + "';"
                + " nbdcopy 'nbd+unix:///kept?socket=" + socket + "' k.back; cmp -n 1048576 k.img k.back;"
                + " nbdinfo --size 'nbd+unix:///once?socket=" + socket + "' || echo once-gone");
        assertEquals(copy.output(), 0, copy.exit());
        assertTrue(copy.output(), copy.output().contains("once-gone"));

        // removed: out of the file too
        Result remove = console("iscsi:export-remove kept");
        assertTrue(remove.output(), remove.output().contains("Export 'kept' removed"));
        assertTrue("the removed export leaves " + cfg, UnpackedDistribution.waitFor(() -> !fileSays(cfg, "export\\.kept\\s*=.*"), 30));
    }
}
