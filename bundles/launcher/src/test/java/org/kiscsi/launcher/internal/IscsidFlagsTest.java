package org.kiscsi.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.kiscsi.launcher.internal.IscsidFlags.Action;
import org.kiscsi.launcher.internal.IscsidFlags.UsageException;

class IscsidFlagsTest {

    @Test
    void noFlagsRunsInTheBackgroundWithDefaults() throws Exception {
        IscsidFlags f = IscsidFlags.parse();
        assertEquals(Action.RUN, f.action());
        assertFalse(f.foreground());
        assertFalse(f.noPidFile());
        assertEquals(0, f.debug());
        assertEquals(Optional.empty(), f.config());
        assertEquals(Optional.empty(), f.initiatorName());
        assertEquals(Optional.empty(), f.pidFile());
    }

    @Test
    void everyShortFlag() throws Exception {
        IscsidFlags f = IscsidFlags.parse("-c", "/etc/iscsi/iscsid.conf", "-i", "/etc/iscsi/initiatorname.iscsi", "-f",
                "-d", "8", "-u", "nobody", "-g", "65534", "-p", "/run/iscsid.pid");
        assertEquals(Optional.of("/etc/iscsi/iscsid.conf"), f.config());
        assertEquals(Optional.of("/etc/iscsi/initiatorname.iscsi"), f.initiatorName());
        assertTrue(f.foreground());
        assertEquals(8, f.debug());
        assertEquals(Optional.of("nobody"), f.uid());
        assertEquals(Optional.of("65534"), f.gid());
        assertEquals(Optional.of("/run/iscsid.pid"), f.pidFile());
    }

    @Test
    void shortFlagsBundleAndTakeAttachedValues() throws Exception {
        IscsidFlags f = IscsidFlags.parse("-fnd3", "-c/tmp/x.conf");
        assertTrue(f.foreground());
        assertTrue(f.noPidFile());
        assertEquals(3, f.debug());
        assertEquals(Optional.of("/tmp/x.conf"), f.config());
    }

    @Test
    void longFlagsWithEqualsOrNextWordAndUniquePrefixes() throws Exception {
        IscsidFlags f = IscsidFlags.parse("--config=/a.conf", "--initiatorname", "/b", "--fore", "--debug=5", "--uid", "0",
                "--gid=0", "--pid", "/c.pid");
        assertEquals(Optional.of("/a.conf"), f.config());
        assertEquals(Optional.of("/b"), f.initiatorName());
        assertTrue(f.foreground());
        assertEquals(5, f.debug());
        assertEquals(Optional.of("/c.pid"), f.pidFile());
        assertTrue(IscsidFlags.parse("--no-pid-file").noPidFile());
    }

    @Test
    void helpAndVersionStopParsingWhereTheyAre() throws Exception {
        assertEquals(Action.HELP, IscsidFlags.parse("-h").action());
        assertEquals(Action.HELP, IscsidFlags.parse("--help", "--bogus").action());
        assertEquals(Action.VERSION, IscsidFlags.parse("-f", "-v", "-x").action());
        assertEquals(Action.VERSION, IscsidFlags.parse("--vers").action());
        UsageException e = assertThrows(UsageException.class, () -> IscsidFlags.parse("-x", "-h"));
        assertEquals("invalid option -- 'x'", e.getMessage());
    }

    @Test
    void unknownFlagsAreRefused() {
        assertEquals("unrecognized option '--bogus'",
                assertThrows(UsageException.class, () -> IscsidFlags.parse("--bogus")).getMessage());
        assertEquals("invalid option -- 'k'", assertThrows(UsageException.class, () -> IscsidFlags.parse("-fk")).getMessage());
    }

    @Test
    void missingOrBadValuesAreRefused() {
        assertEquals("option requires an argument -- 'c'",
                assertThrows(UsageException.class, () -> IscsidFlags.parse("-c")).getMessage());
        assertEquals("option '--pid' requires an argument",
                assertThrows(UsageException.class, () -> IscsidFlags.parse("--pid")).getMessage());
        assertEquals("option '--foreground' doesn't allow an argument",
                assertThrows(UsageException.class, () -> IscsidFlags.parse("--foreground=yes")).getMessage());
        assertTrue(assertThrows(UsageException.class, () -> IscsidFlags.parse("-d", "9")).getMessage()
                .contains("invalid debug level '9'"));
        assertTrue(assertThrows(UsageException.class, () -> IscsidFlags.parse("-d", "x")).getMessage()
                .contains("expected 0..8"));
        assertTrue(assertThrows(UsageException.class, () -> IscsidFlags.parse("--config=")).getMessage()
                .contains("non-empty"));
    }

    @Test
    void strayArgumentsAndNoPidWithPidAreRefused() {
        assertEquals("unexpected argument 'start'",
                assertThrows(UsageException.class, () -> IscsidFlags.parse("-f", "start")).getMessage());
        assertEquals("unexpected argument 'x'", assertThrows(UsageException.class, () -> IscsidFlags.parse("--", "x")).getMessage());
        assertTrue(assertThrows(UsageException.class, () -> IscsidFlags.parse("-n", "-p", "/x.pid")).getMessage()
                .contains("exclude each other"));
    }

    @Test
    void debugLevelsMapOntoLogLevels() {
        assertEquals("INFO", LogLevels.forDebug(0));
        for (int d = 1; d <= 4; d++) {
            assertEquals("DEBUG", LogLevels.forDebug(d));
        }
        for (int d = 5; d <= 8; d++) {
            assertEquals("TRACE", LogLevels.forDebug(d));
        }
    }

    @Test
    void usageListsEveryFlag() {
        String u = IscsidFlags.usage();
        for (String flag : new String[] {"--config", "--initiatorname", "--foreground", "--debug", "--uid", "--gid",
                "--no-pid-file", "--pid", "--help", "--version"}) {
            assertTrue(u.contains(flag), flag);
        }
    }
}
