package org.kiscsi.iscsid.internal.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;

class ResyncListTest {
    @TempDir
    Path dir;

    static NodeRecord record(String target, String portal) {
        return NodeRecord.create(new NodeKey(IscsiName.of(target), Portal.parse(portal), null), RecordValues.empty());
    }

    @Test
    void keysRoundTripIncludingIpv6AndIfaces() {
        NodeKey v4 = new NodeKey(IscsiName.of("iqn.2001-04.com.example:a"), Portal.parse("127.0.0.1:3260,1"), null);
        NodeKey v6 = new NodeKey(IscsiName.of("iqn.2001-04.com.example:b"), Portal.parse("[::1]:3261,2"), "iface0");
        assertEquals(v4, ResyncList.parse(ResyncList.format(v4)));
        assertEquals(v6, ResyncList.parse(ResyncList.format(v6)));
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
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));

        engine.logout(1);
        assertEquals(List.of(b.key()), list.keys(), "a user's logout takes the record off the list");

        list.freeze();
        engine.logout(2);
        assertEquals(List.of(b.key()), list.keys(), "logouts at shutdown keep the record for the next start");
        ResyncList reread = new ResyncList(file, Runnable::run);
        assertEquals(List.of(b.key()), reread.load());
    }

    @Test
    void badLinesAreSkipped() throws Exception {
        Path file = dir.resolve("sessions.resync");
        Files.writeString(file, "# comment\nnot a key\niqn.2001-04.com.example:a 127.0.0.1:3260,1 default\nbad.name 1.2.3.4 x\n");
        List<NodeKey> keys = new ResyncList(file, Runnable::run).load();
        assertEquals(1, keys.size());
        assertEquals("iqn.2001-04.com.example:a", keys.get(0).target().value());
        assertTrue(new ResyncList(dir.resolve("absent"), Runnable::run).load().isEmpty());
    }
}
