package org.kiscsi.shell.completers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class KeyCompletersTest {
    @Test
    void theValueCompleterReadsTheKeyOfTheNameBeforeIt() {
        String[] args = {"iscsi:node-update", "-n", "'node.conn[0].iscsi.DataDigest'", "-v", ""};
        assertEquals(Optional.of("node.conn[0].iscsi.DataDigest"), KeyValueCompleter.keyBefore(args, 4));
        assertEquals(Optional.empty(), KeyValueCompleter.keyBefore(new String[] {"iscsi:node-update", "-v", ""}, 2));
        assertEquals(List.of("manual", "automatic", "onboot"), new KeyValueCompleter().valuesOf("node.startup"));
        assertEquals(List.of(), new KeyValueCompleter().valuesOf("node.session.auth.username"));
    }

    @Test
    void nodeKeysLeaveOutIdentityAndIfaceKeysButTheTransport() {
        List<String> keys = NodeKeyCompleter.keys();
        assertTrue(keys.contains("node.startup"));
        assertTrue(keys.contains("iface.transport_name"));
        assertTrue(keys.contains("node.session.scsi.cmd_timeout"));
        assertFalse(keys.contains("node.name"));
        assertFalse(keys.contains("node.conn[0].address"));
        assertFalse(keys.contains("iface.ipaddress"));
        assertFalse(IfaceKeyCompleter.keys().contains("iface.iscsi_ifacename"));
        assertTrue(IfaceKeyCompleter.keys().contains("iface.ipaddress"));
    }
}
