package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IscsiUrlTest {
    private static final ChapCredentials ALICE = new ChapCredentials("alice", "aliceSecret12");
    private static final ChapCredentials TARGET = new ChapCredentials("tgt", "targetSecret1");

    @Test
    void portalAndLunUrlsBracketIpv6() {
        assertEquals("iscsi://127.0.0.1:3260", IscsiUrl.portal("127.0.0.1", 3260).uri());
        assertEquals("iscsi://[::1]:3262/iqn.2026-11.org.kiscsi:t/1", IscsiUrl.lun("::1", 3262, "iqn.2026-11.org.kiscsi:t", 1).uri());
        assertEquals("iscsi://127.0.0.1:3260/iqn.x:y/0?header_digest=crc32c",
                IscsiUrl.portal("127.0.0.1", 3260).lun("iqn.x:y", 0).withHeaderDigest("crc32c").uri());
    }

    @Test
    void credentialsStayOutOfUriAndToString() {
        IscsiUrl u = IscsiUrl.lun("127.0.0.1", 3260, "iqn.x:y", 1).withMutualChap(ALICE, TARGET);
        assertEquals("iscsi://127.0.0.1:3260/iqn.x:y/1", u.uri());
        assertEquals("iscsi://127.0.0.1:3260/iqn.x:y/1 (CHAP user alice, mutual with target user tgt)", u.toString());
        assertEquals("iscsi://alice%aliceSecret12@127.0.0.1:3260/iqn.x:y/1?target_user=tgt&target_password=targetSecret1", u.uriWithSecrets());
        assertEquals(Map.of("LIBISCSI_CHAP_USERNAME", "alice", "LIBISCSI_CHAP_PASSWORD", "aliceSecret12",
                "LIBISCSI_CHAP_TARGET_USERNAME", "tgt", "LIBISCSI_CHAP_TARGET_PASSWORD", "targetSecret1"), u.chapEnvironment());
        Command c = u.applyCredentials(Command.of(java.nio.file.Path.of("/bin/true"), List.of(u.uri())));
        assertEquals("LIBISCSI_CHAP_USERNAME=alice LIBISCSI_CHAP_PASSWORD=*** LIBISCSI_CHAP_TARGET_USERNAME=tgt "
                + "LIBISCSI_CHAP_TARGET_PASSWORD=*** true iscsi://127.0.0.1:3260/iqn.x:y/1", c.toString());
        assertFalse(ALICE.toString().contains("aliceSecret12"));
    }

    @Test
    void rejectsWhatLibiscsiUrlsCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> IscsiUrl.portal("[::1]", 3260));
        assertThrows(IllegalArgumentException.class, () -> IscsiUrl.portal("::1", 0));
        assertThrows(IllegalArgumentException.class, () -> IscsiUrl.lun("::1", 3260, "iqn/x", 1));
        assertThrows(IllegalArgumentException.class, () -> new ChapCredentials("bob", "has%percent"));
    }
}
