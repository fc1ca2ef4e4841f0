package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class IsnsObjectTest {
    @Test
    void parsesListOutput() {
        List<IsnsObject> nodes = IsnsObject.parse("""
                Object 0:
                  0020  string      : iSCSI name = "iqn.2026-11.test.pe:a"
                  0021  uint32      : iSCSI node type = Target
                  0024  uint32      : iSCSI node index = 3
                Object 1:
                  0020  string      : iSCSI name = "iqn.2026-11.test.pe:b"
                """);
        assertEquals(2, nodes.size());
        assertEquals("", nodes.get(0).kind());
        assertEquals("iqn.2026-11.test.pe:a", nodes.get(0).get("iSCSI name").orElseThrow());
        assertEquals("Target", nodes.get(0).get("iSCSI node type").orElseThrow());
        assertEquals("iqn.2026-11.test.pe:b", nodes.get(1).get("iSCSI name").orElseThrow());
    }

    @Test
    void parsesQueryOutputWithKinds() {
        List<IsnsObject> objects = IsnsObject.parse("""
                object[0] = <Network Entity>
                  0001  string      : Entity identifier = "ent1"
                  0006  uint32      : Registration Period = 30
                object[1] = <Portal>
                  0010  ipaddr      : Portal IP address = 127.0.0.1
                  0011  uint32      : Portal TCP/UDP port = 3260/tcp
                """);
        assertEquals(List.of("Network Entity", "Portal"), objects.stream().map(IsnsObject::kind).toList());
        assertEquals("ent1", objects.get(0).get("Entity identifier").orElseThrow());
        assertEquals("3260/tcp", objects.get(1).get("Portal TCP/UDP port").orElseThrow());
    }
}
