package org.kiscsi.iscsid.internal.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Isid;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.RecoveryStage;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionType;

class ResyncListTest {
    @TempDir
    Path dir;

    static NodeRecord record(String target, String portal) {
        return NodeRecord.create(new NodeKey(IscsiName.of(target), Portal.parse(portal), null), RecordValues.empty());
    }

    @Test
    void entriesRoundTripIncludingIpv6IfacesAndIsids() {
        NodeKey v4 = new NodeKey(IscsiName.of("iqn.2001-04.com.example:a"), Portal.parse("127.0.0.1:3260,1"), null);
        NodeKey v6 = new NodeKey(IscsiName.of("iqn.2001-04.com.example:b"), Portal.parse("[::1]:3261,2"), "iface0");
        ResyncEntry a = new ResyncEntry(v4, Isid.of(0x40_00_01_23_00_00L));
        ResyncEntry b = new ResyncEntry(v6, Isid.of(0x80_12_34_56_00_02L));
        assertEquals("iqn.2001-04.com.example:a 127.0.0.1:3260,1 default 400001230000", a.format());
        assertEquals(a, ResyncEntry.parse(a.format()));
        assertEquals(b, ResyncEntry.parse(b.format()));
        assertEquals(ResyncEntry.withoutIsid(v6), ResyncEntry.parse(ResyncEntry.withoutIsid(v6).format()));
    }

    @Test
    void oneEntryPerSessionOfARecordWithSeveral() throws Exception {
        Path file = dir.resolve("sessions.resync");
        ResyncList list = new ResyncList(file, Runnable::run);
        FakeSessionManager engine = new FakeSessionManager();
        engine.addListener(list);
        NodeRecord two = record("iqn.2001-04.com.example:two", "127.0.0.1:3260,1").with(NodeKeys.NR_SESSIONS, "2");
        engine.login(two);
        List<SessionInfo> sessions = engine.sessions();
        assertEquals(2, list.entries().size());
        assertEquals(List.of(two.key()), list.keys(), "the record once");
        String written = Files.readString(file);
        for (SessionInfo s : sessions) {
            assertTrue(written.contains("iqn.2001-04.com.example:two 127.0.0.1:3260,1 default " + s.isid() + "\n"), written);
        }

        engine.logout(sessions.get(0).sid());
        assertEquals(List.of(new ResyncEntry(two.key(), sessions.get(1).isid())), list.entries(),
                "the other session's entry stays");
        assertEquals(list.entries(), new ResyncList(file, Runnable::run).load());
    }

    @Test
    void aSessionInRecoveryStaysOnTheListUntilClosed() {
        ResyncList list = new ResyncList(dir.resolve("sessions.resync"), Runnable::run);
        FakeSessionManager engine = new FakeSessionManager();
        engine.addListener(list);
        NodeRecord a = record("iqn.2001-04.com.example:a", "127.0.0.1:3260,1");
        SessionInfo s = engine.login(a).toCompletableFuture().join();
        ResyncEntry entry = new ResyncEntry(a.key(), s.isid());
        assertEquals(List.of(entry), list.entries());

        engine.enter(s.sid(), SessionState.RECOVERING);
        assertEquals(List.of(entry), list.entries(), "RECOVERING after LOGGED_IN keeps the entry");
        engine.enter(s.sid(), SessionState.LOGGED_IN);
        engine.enter(s.sid(), SessionState.LOGGING_OUT);
        assertEquals(List.of(entry), list.entries(), "LOGGING_OUT leaves it too");
        engine.enter(s.sid(), SessionState.CLOSED);
        assertEquals(List.of(), list.entries(), "CLOSED removes it");
    }

    @Test
    void aLoggingInSessionAddsNothing() {
        ResyncList list = new ResyncList(dir.resolve("sessions.resync"), Runnable::run);
        NodeRecord a = record("iqn.2001-04.com.example:a", "127.0.0.1:3260,1");
        list.stateChanged(new SessionInfo(1, a.key(), SessionType.NORMAL, Isid.of(1), 0, SessionState.LOGGING_IN,
                RecoveryStage.NONE, List.of(), Map.of(), "", Instant.now()), SessionState.CLOSED);
        assertEquals(List.of(), list.entries());
    }

    @Test
    void anOlderListsEntryLoadsAndIsReplacedByTheSessionsOwn() throws Exception {
        Path file = dir.resolve("sessions.resync");
        Files.writeString(file, "iqn.2001-04.com.example:a 127.0.0.1:3260,1 default\n");
        ResyncList list = new ResyncList(file, Runnable::run);
        NodeRecord a = record("iqn.2001-04.com.example:a", "127.0.0.1:3260,1");
        assertEquals(List.of(ResyncEntry.withoutIsid(a.key())), list.load());
        FakeSessionManager engine = new FakeSessionManager();
        engine.addListener(list);
        SessionInfo s = engine.login(a).toCompletableFuture().join();
        assertEquals(List.of(new ResyncEntry(a.key(), s.isid())), list.entries());
        assertTrue(Files.readString(file).contains("default " + s.isid() + "\n"));
    }

    @Test
    void followsTheSessionsUntilFrozenAndKeepsTheFile0600() throws Exception {
        Path file = dir.resolve("data/iscsid/sessions.resync");
        ResyncList list = new ResyncList(file, Runnable::run);
        FakeSessionManager engine = new FakeSessionManager();
        engine.addListener(list);
        NodeRecord a = record("iqn.2001-04.com.example:a", "127.0.0.1:3260,1");
        NodeRecord b = record("iqn.2001-04.com.example:b", "127.0.0.1:3260,1");
        engine.login(a);
        engine.login(b);
        assertEquals(List.of(a.key(), b.key()), list.keys());
        assertEquals(2, list.entries().size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));

        engine.logout(1);
        assertEquals(List.of(b.key()), list.keys(), "a user's logout takes the record off the list");

        list.freeze();
        engine.logout(2);
        assertEquals(List.of(b.key()), list.keys(), "logouts at shutdown keep the record for the next start");
        ResyncList reread = new ResyncList(file, Runnable::run);
        assertEquals(list.entries(), reread.load());
        assertEquals(List.of(b.key()), reread.keys());
    }

    @Test
    void badLinesAreSkipped() throws Exception {
        Path file = dir.resolve("sessions.resync");
        Files.writeString(file, "# comment\nnot a key\niqn.2001-04.com.example:a 127.0.0.1:3260,1 default\nbad.name 1.2.3.4 x\n");
        Files.writeString(file, "# comment\nnot a key\niqn.2001-04.com.example:a 127.0.0.1:3260,1 default\nbad.name 1.2.3.4 x\n"
                + "iqn.2001-04.com.example:b 127.0.0.1:3260,1 default nothex000000\n"
                + "iqn.2001-04.com.example:c 127.0.0.1:3260,1 default 0001 extra\n");
        List<ResyncEntry> entries = new ResyncList(file, Runnable::run).load();
        assertEquals(1, entries.size());
        assertEquals("iqn.2001-04.com.example:a", entries.get(0).node().target().value());
        assertTrue(new ResyncList(dir.resolve("absent"), Runnable::run).load().isEmpty());
    }
}
