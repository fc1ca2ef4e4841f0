package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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

    @BeforeClass
    public static void setUp() throws Exception {
        startPeers(DISK);
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
}
