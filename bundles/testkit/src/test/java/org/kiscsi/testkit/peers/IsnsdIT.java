package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Isnsd} and {@link Isnsadm} against open-isns. */
class IsnsdIT {
    private static final String A = "iqn.2026-11.org.kiscsi.testkit:isns-a";
    private static final String B = "iqn.2026-11.org.kiscsi.testkit:isns-b";

    @Test
    void registersListsAndQueriesTargets() {
        try (Isnsd isnsd = Isnsd.configure().withRegistrationPeriod(Duration.ofSeconds(30)).start()) {
            Isnsadm adm = isnsd.admin();
            adm.register("kiscsi-ent1", "127.0.0.1:3260", List.of(A, B));

            List<IsnsObject> nodes = adm.list("nodes");
            assertEquals(List.of(A, B), nodes.stream().map(n -> n.get("iSCSI name").orElseThrow()).toList());
            assertTrue(nodes.stream().allMatch(n -> n.get("iSCSI node type").orElseThrow().equals("Target")));

            List<IsnsObject> q = adm.query("iscsi-name=" + A);
            IsnsObject entity = q.stream().filter(o -> o.kind().equals("Network Entity")).findFirst().orElseThrow();
            assertEquals("kiscsi-ent1", entity.get("Entity identifier").orElseThrow());
            assertEquals("30", entity.get("Registration Period").orElseThrow());
            IsnsObject portal = q.stream().filter(o -> o.kind().equals("Portal")).findFirst().orElseThrow();
            assertEquals("3260/tcp", portal.get("Portal TCP/UDP port").orElseThrow());

            adm.deregister("iscsi-name=" + B);
            assertEquals(List.of(A), adm.list("nodes").stream().map(n -> n.get("iSCSI name").orElseThrow()).toList());
        }
    }

    @Test
    void stopLeavesNoProcessAndNoFile() {
        Isnsd isnsd = Isnsd.configure().start();
        long pid = isnsd.pid();
        Path dir = isnsd.directory();
        assertTrue(Files.exists(isnsd.pidFile()) && Files.exists(isnsd.controlSocket()));
        isnsd.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "isnsd gone");
        assertFalse(Files.exists(dir), dir + " removed");
        assertTrue(Files.exists(isnsd.logFile()), "the log stays");
    }

    @Test
    void restartsAfterACrashDespiteTheStalePidFile() {
        try (Isnsd isnsd = Isnsd.configure().start()) {
            int port = isnsd.port();
            long firstPid = isnsd.pid();
            isnsd.admin().register("kiscsi-ent2", "127.0.0.1:3260", List.of(A));
            isnsd.kill();
            assertTrue(Files.exists(isnsd.pidFile()), "a killed isnsd leaves its PID file");

            isnsd.restart();
            assertEquals(port, isnsd.port());
            assertTrue(isnsd.pid() != firstPid && isnsd.isRunning());
            assertEquals(List.of(), isnsd.admin().list("nodes"), "the database is in memory: empty after a restart");
            isnsd.admin().register("kiscsi-ent2", "127.0.0.1:3260", List.of(A));
            assertEquals(1, isnsd.admin().list("nodes").size());
        }
    }
}
