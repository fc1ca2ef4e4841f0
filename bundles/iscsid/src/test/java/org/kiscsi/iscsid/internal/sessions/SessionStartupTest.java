package org.kiscsi.iscsid.internal.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.Isid;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.store.memory.MemoryNodeStore;

class SessionStartupTest {
    @TempDir
    Path dir;

    @Test
    void reSyncsTheListThenLogsInToAutomaticRecordsOnce() throws Exception {
        MemoryNodeStore store = new MemoryNodeStore("test store");
        NodeRecord listed = ResyncListTest.record("iqn.2001-04.com.example:listed", "127.0.0.1:3260,1");
        NodeRecord auto = ResyncListTest.record("iqn.2001-04.com.example:auto", "127.0.0.1:3260,1").with(NodeKeys.STARTUP, "automatic");
        NodeRecord both = ResyncListTest.record("iqn.2001-04.com.example:both", "127.0.0.1:3260,1").with(NodeKeys.STARTUP, "Automatic");
        NodeRecord manual = ResyncListTest.record("iqn.2001-04.com.example:manual", "127.0.0.1:3260,1").with(NodeKeys.STARTUP, "manual");
        NodeRecord failing = ResyncListTest.record("iqn.2001-04.com.example:fail", "127.0.0.1:3260,1").with(NodeKeys.STARTUP, "automatic");
        for (NodeRecord r : List.of(listed, auto, both, manual, failing)) {
            store.putNode(r);
        }
        Path file = dir.resolve("sessions.resync");
        Files.writeString(file, ResyncEntry.withoutIsid(listed.key()).format() + "\n" + ResyncEntry.withoutIsid(both.key()).format() + "\n"
                + "iqn.2001-04.com.example:deleted 127.0.0.1:3260,1 default\n");
        ResyncList list = new ResyncList(file, Runnable::run);
        list.load();
        FakeSessionManager engine = new FakeSessionManager();
        engine.addListener(list);

        SessionStartup.run(store, engine, list).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(List.of("login " + listed.key(), "login " + both.key(), "login " + auto.key(), "login " + failing.key()),
                engine.calls, "re-sync first, then automatic records, each once; manual never");
        assertEquals(2 + 1, engine.sessions().size());
        assertTrue(list.keys().stream().noneMatch(k -> k.target().value().endsWith(":deleted")),
                "a listed record that no longer exists is dropped");

        engine.calls.clear();
        SessionStartup.run(store, engine, list).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of("login " + failing.key()), engine.calls, "what is up already is left alone");
    }

    @Test
    void aRecordWithSeveralListedSessionsIsLoggedInToOnce() throws Exception {
        MemoryNodeStore store = new MemoryNodeStore("test store");
        NodeRecord two = ResyncListTest.record("iqn.2001-04.com.example:two", "127.0.0.1:3260,1").with(NodeKeys.NR_SESSIONS, "2");
        store.putNode(two);
        Path file = dir.resolve("sessions.resync");
        Files.writeString(file, new ResyncEntry(two.key(), Isid.of(0x40_0000_0001L)).format() + "\n"
                + new ResyncEntry(two.key(), Isid.of(0x40_0000_0002L)).format() + "\n");
        ResyncList list = new ResyncList(file, Runnable::run);
        list.load();
        FakeSessionManager engine = new FakeSessionManager();
        engine.addListener(list);

        SessionStartup.run(store, engine, list).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(List.of("login " + two.key()), engine.calls, "one login opens both sessions");
        assertEquals(2, engine.sessions().size());
        Set<ResyncEntry> expected = new HashSet<>();
        engine.sessions().forEach(s -> expected.add(new ResyncEntry(two.key(), s.isid())));
        assertTrue(list.entries().containsAll(expected), list.entries().toString());
    }

    @Test
    void listedSessionsThatAreUpAreLeftAloneAndAMissingOneLogsInTheRecord() throws Exception {
        MemoryNodeStore store = new MemoryNodeStore("test store");
        NodeRecord two = ResyncListTest.record("iqn.2001-04.com.example:two", "127.0.0.1:3260,1").with(NodeKeys.NR_SESSIONS, "2");
        store.putNode(two);
        FakeSessionManager engine = new FakeSessionManager();
        engine.login(two);
        List<SessionInfo> up = engine.sessions();
        Path file = dir.resolve("sessions.resync");
        Files.writeString(file, new ResyncEntry(two.key(), up.get(0).isid()).format() + "\n"
                + new ResyncEntry(two.key(), up.get(1).isid()).format() + "\n");
        ResyncList list = new ResyncList(file, Runnable::run);
        list.load();
        engine.calls.clear();

        SessionStartup.run(store, engine, list).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), engine.calls, "both listed sessions are up (the engine outlived the daemon)");

        engine.logout(up.get(1).sid());
        engine.calls.clear();
        SessionStartup.run(store, engine, list).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of("login " + two.key()), engine.calls, "one listed session is missing");
        assertEquals(2, engine.sessions().size());
    }
}
