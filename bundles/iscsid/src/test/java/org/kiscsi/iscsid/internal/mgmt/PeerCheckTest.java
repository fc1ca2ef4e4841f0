package org.kiscsi.iscsid.internal.mgmt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jdk.net.UnixDomainPrincipal;

class PeerCheckTest {
    private static final UserPrincipalLookupService USERS = FileSystems.getDefault().getUserPrincipalLookupService();

    @TempDir
    Path dir;

    @Test
    void rootAndTheDaemonsOwnUserAreAllowedOthersNot() throws Exception {
        Path own = Files.createFile(dir.resolve("socket-stand-in"));
        PeerCheck check = PeerCheck.rootAndOwnerOf(own);
        UserPrincipal root = USERS.lookupPrincipalByName("root");
        UserPrincipal me = Files.getOwner(own);
        UserPrincipal nobody = USERS.lookupPrincipalByName("nobody");
        GroupPrincipal anyGroup = USERS.lookupPrincipalByGroupName("root");
        assertTrue(check.allows(new UnixDomainPrincipal(root, anyGroup)));
        assertTrue(check.allows(new UnixDomainPrincipal(me, anyGroup)));
        if (!me.equals(nobody)) {
            assertFalse(check.allows(new UnixDomainPrincipal(nobody, anyGroup)));
        }
        assertFalse(check.allows(null), "no credentials, no access");
    }

    @Test
    void onlyTheListedUsersAreAllowed() throws Exception {
        UserPrincipal nobody = USERS.lookupPrincipalByName("nobody");
        UserPrincipal root = USERS.lookupPrincipalByName("root");
        PeerCheck check = new PeerCheck(Set.of(nobody));
        GroupPrincipal g = USERS.lookupPrincipalByGroupName("root");
        assertTrue(check.allows(new UnixDomainPrincipal(nobody, g)));
        assertFalse(check.allows(new UnixDomainPrincipal(root, g)));
        assertTrue(check.describe().contains("nobody"));
    }
}
