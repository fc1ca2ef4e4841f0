package org.kiscsi.shell.completers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DiscoveryCompletersTest {
    @Test
    void discoveryKeysLeaveOutWhatNamesTheRecord() {
        List<String> keys = DiscoveryKeyCompleter.keys();
        assertTrue(keys.contains("discovery.sendtargets.auth.authmethod"), keys.toString());
        assertTrue(keys.contains("discovery.isns.use_discoveryd"), keys.toString());
        assertFalse(keys.contains("discovery.sendtargets.address"), keys.toString());
        assertFalse(keys.contains("discovery.type"), keys.toString());
        assertEquals(keys.size(), keys.stream().distinct().count());
    }

    @Test
    void theLunCompleterReadsTheSessionBeforeIt() {
        assertEquals(Optional.of(4L), LunNumberCompleter.sidBefore(new String[] {"iscsi:lun-inq", "-r", "4", "-l", ""}, 4));
        assertEquals(Optional.empty(), LunNumberCompleter.sidBefore(new String[] {"iscsi:lun-inq", "-l", ""}, 2));
        assertEquals(Optional.empty(), LunNumberCompleter.sidBefore(new String[] {"iscsi:lun-inq", "-r", "x", "-l", ""}, 4));
    }
}
