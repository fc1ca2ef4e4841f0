package org.kiscsi.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Looking up a directory entry whose name may differ in case, as target names compare. */
class StoreLayoutExistingTest {
    @TempDir
    Path dir;

    @Test
    void theExactNameWins() throws Exception {
        Files.createDirectory(dir.resolve("iqn.x:A"));
        Files.createDirectory(dir.resolve("iqn.x:a"));
        assertEquals(Optional.of(dir.resolve("iqn.x:a")), StoreLayout.existing(dir, "iqn.x:a"));
    }

    @Test
    void ofSeveralCaseVariantsTheFirstInSortedOrder() throws Exception {
        for (String n : new String[] {"iqn.x:zz", "iqn.x:Disk", "IQN.X:DISK", "iqn.x:disk0"}) {
            Files.createDirectory(dir.resolve(n));
        }
        assertEquals(Optional.of(dir.resolve("IQN.X:DISK")), StoreLayout.existing(dir, "iqn.x:disk"));
    }

    @Test
    void noMatchAndNoDirectoryAreEmpty() throws Exception {
        Files.createDirectory(dir.resolve("iqn.x:disk0"));
        assertTrue(StoreLayout.existing(dir, "iqn.x:disk").isEmpty());
        assertTrue(StoreLayout.existing(dir.resolve("missing"), "iqn.x:disk").isEmpty());
    }
}
