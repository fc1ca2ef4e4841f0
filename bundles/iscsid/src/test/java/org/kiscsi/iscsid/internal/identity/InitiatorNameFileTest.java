package org.kiscsi.iscsid.internal.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiName;

class InitiatorNameFileTest {
    @TempDir
    Path dir;

    private InitiatorIdentity read(String... lines) throws Exception {
        Path f = dir.resolve("initiatorname.iscsi");
        Files.write(f, List.of(lines));
        return InitiatorNameFile.read(f, () -> "host-a");
    }

    @Test
    void nameAndAlias() throws Exception {
        InitiatorIdentity id = read("## DO NOT EDIT OR REMOVE THIS FILE!", "InitiatorName=iqn.2016-04.com.open-iscsi:0123456789ab",
                "InitiatorAlias = backup server");
        assertEquals(Optional.of(IscsiName.of("iqn.2016-04.com.open-iscsi:0123456789ab")), id.name());
        assertEquals("backup server", id.alias());
        assertEquals(List.of(), id.warnings());
    }

    @Test
    void theAliasDefaultsToTheHostName() throws Exception {
        assertEquals("host-a", read("InitiatorName=eui.0123456789abcdef").alias());
        assertEquals(HostName.get(), InitiatorNameFile.read(dir.resolve("none"), HostName::get).alias());
        assertTrue(!HostName.get().isBlank());
    }

    @Test
    void aMissingFileWarnsNamingItAndTheDaemonGoesOn() {
        Path f = dir.resolve("missing.iscsi");
        InitiatorIdentity id = InitiatorNameFile.read(f, () -> "host-a");
        assertEquals(Optional.empty(), id.name());
        assertEquals(1, id.warnings().size());
        String w = id.warnings().get(0);
        assertTrue(w.startsWith("initiator name file " + f + " does not exist"), w);
        assertTrue(w.contains("logins and discovery may fail"), w);
    }

    @Test
    void aFileWithoutANameWarns() throws Exception {
        InitiatorIdentity id = read("# nothing here", "InitiatorAlias=x");
        assertEquals(Optional.empty(), id.name());
        assertEquals("x", id.alias());
        assertTrue(id.warnings().get(0).contains("has no InitiatorName"), id.warnings().toString());
        assertTrue(id.warnings().get(0).contains(dir.resolve("initiatorname.iscsi").toString()));
        assertTrue(read("InitiatorName=").warnings().get(0).contains("has no InitiatorName"));
    }

    @Test
    void anInvalidNameWarnsWithTheLineAndWhy() throws Exception {
        InitiatorIdentity id = read("", "InitiatorName=iqn.16-04.bad");
        assertEquals(Optional.empty(), id.name());
        String w = id.warnings().get(0);
        assertTrue(w.contains("line 2: 'iqn.16-04.bad' is not a valid iSCSI name (expected iqn.YYYY-MM"), w);
        assertTrue(w.contains("logins and discovery may fail"), w);
    }

    @Test
    void aSecondNameIsIgnoredWithAWarning() throws Exception {
        InitiatorIdentity id = read("InitiatorName=iqn.2001-04.com.example:a", "InitiatorName=iqn.2001-04.com.example:b");
        assertEquals("iqn.2001-04.com.example:a", id.name().orElseThrow().value());
        assertTrue(id.warnings().get(0).contains("line 2: a second InitiatorName; line 1 is used"), id.warnings().toString());
    }
}
