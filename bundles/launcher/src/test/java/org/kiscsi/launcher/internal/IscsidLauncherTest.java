package org.kiscsi.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's answers that come before Karaf runs: usage, version, refusals. */
class IscsidLauncherTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @AfterEach
    void clearProperties() {
        for (String k : List.of("karaf.base", "karaf.data")) {
            System.clearProperty(k);
        }
    }

    private int run(String... args) {
        return new IscsidLauncher(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    @Test
    void helpPrintsUsageAndExits0() {
        assertEquals(0, run("-h"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: iscsid [OPTION]"));
    }

    @Test
    void versionPrintsTheProjectVersion() {
        assertEquals(0, run("--version"));
        String v = out.toString(StandardCharsets.UTF_8).trim();
        assertTrue(v.matches("iscsid version \\d+\\.\\d+\\.\\d+.*"), v);
        assertFalse(v.contains("${"), v);
    }

    @Test
    void anUnknownFlagPrintsUsageAndExits1WithoutStartingAnything() {
        System.setProperty("karaf.base", dir.toString());
        assertEquals(1, run("--bogus"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("iscsid: unrecognized option '--bogus'"), e);
        assertTrue(e.contains("Usage: iscsid"), e);
        assertFalse(Files.exists(dir.resolve("run")), "nothing may be created for a bad command line");
        assertFalse(Files.exists(dir.resolve("data")));
    }

    @Test
    void withoutKarafBaseItRefusesToStart() {
        System.clearProperty("karaf.base");
        System.clearProperty("karaf.home");
        assertEquals(1, run("-n"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("karaf.base is not set"));
    }

    @Test
    void identityCheckCatchesADropThatDidNotHappen() {
        String[] uids = {"0", "0", "0", "0"};
        IdentityCheck.check("uid", "0", uids);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> IdentityCheck.check("uid", "65534", uids));
        assertTrue(e.getMessage().contains("dropping to uid 65534 did not happen"), e.getMessage());
        assertEquals(List.of("1", "2", "3", "4"),
                List.of(IdentityCheck.ids(List.of("Name:\tjava", "Uid:\t1\t2\t3\t4"), "Uid:")));
    }
}
