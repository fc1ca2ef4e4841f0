package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.junit.BeforeClass;
import org.junit.Test;
import org.kiscsi.itests.UnpackedDistribution.Result;
import org.kiscsi.itests.UnpackedDistribution.Split;

/**
 * Issue 16 end to end over SSH: bin/client to the console of a running bin/iscsid on 127.0.0.1, with
 * an admin and a viewer this test adds to its own copy's etc/users.properties (the shipped one has
 * none). iscsi:session lists, byte for byte, the session bin/iscsiadm made; the viewer is refused a
 * login by the shipped command ACLs and no session appears.
 */
public class ShellOverSshIT extends DaemonAgainstTgtd {
    private static final String DISK = "iqn.2026-11.org.kiscsi.it:ssh-disk";
    private static final String OTHER = "iqn.2026-11.org.kiscsi.it:ssh-other";
    private static String adminPassword;
    private static String viewerPassword;

    @BeforeClass
    public static void setUp() throws Exception {
        startPeers(DISK, OTHER);
        adminPassword = secret();
        viewerPassword = secret();
        Files.writeString(dist.home().resolve("etc/users.properties"), "\nssh-admin = " + adminPassword + ",_g_:itadmins\n"
                + "ssh-viewer = " + viewerPassword + ",_g_:itviewers\n"
                + "_g_\\:itadmins = group,admin,manager,viewer,systembundles,ssh\n"
                + "_g_\\:itviewers = group,viewer,ssh\n", StandardOpenOption.APPEND);
    }

    private static String secret() {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /**
     * Commands on bin/client's standard input with -b (Karaf 4.4's client prints nothing for a command
     * given as an argument without a terminal); stdin stays open a while so the commands can finish.
     */
    private static Result client(String user, String password, String commands) throws Exception {
        Path in = Files.createTempFile(dist.tmp(), "client-", ".in");
        Files.writeString(in, commands + "\n");
        Path out = Files.createTempFile(dist.tmp(), "client-", ".out");
        String script = "(cat '" + in + "'; sleep 8) | bin/client -r 30 -d 1 -u " + user + " -p " + password + " -b";
        ProcessBuilder pb = dist.command("bash", "-c", script);
        pb.environment().put("KARAF_OPTS", "-Duser.home=" + dist.tmp()); // known hosts stay in the scratch directory
        Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("bin/client did not finish within 120 s: " + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    public void iscsiSessionOverSshListsTheSessionIscsiadmMadeAndAViewerCannotLogIn() throws Exception {
        records.write(DISK, tgtd.portal(), false);
        records.write(OTHER, tgtd.portal(), false);
        dist.startWithEngine();
        Split login = dist.binSplit("iscsiadm", "-m", "node", "-T", DISK, "-p", portal(), "--login");
        assertEquals(login.toString(), 0, login.exit());
        Split list = dist.binSplit("iscsiadm", "-m", "session");
        assertEquals(list.toString(), 0, list.exit());

        Result admin = client("ssh-admin", adminPassword, "iscsi:session");
        System.out.println("ShellOverSshIT: iscsi:session over SSH:\n" + admin.output());
        assertTrue("iscsi:session over SSH prints what bin/iscsiadm -m session prints (" + list.stdout() + "): " + admin.output(),
                admin.output().replace("\r\n", "\n").contains(list.stdout()));

        Result viewer = client("ssh-viewer", viewerPassword, "iscsi:session\niscsi:node-login -T " + OTHER + " -p " + portal());
        System.out.println("ShellOverSshIT: a viewer over SSH:\n" + viewer.output());
        String v = viewer.output().replace("\r\n", "\n");
        assertTrue("the viewer lists the session: " + v, v.contains(list.stdout()));
        assertTrue("the viewer is refused the login: " + v, v.contains("Insufficient credentials") || v.contains("Command not found"));
        assertFalse(v, v.contains("Logging in to"));
        Thread.sleep(1000);
        assertTrue("no session to " + OTHER + " at tgtd", TgtdSessions.of(tgtd, OTHER).isEmpty());
        assertEquals(1, TgtdSessions.of(tgtd, DISK).size());
    }
}
