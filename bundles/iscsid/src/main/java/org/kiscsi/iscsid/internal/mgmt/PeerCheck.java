package org.kiscsi.iscsid.internal.mgmt;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import jdk.net.UnixDomainPrincipal;

/**
 * Who may talk to the daemon: root and the user the daemon runs as, told by the kernel
 * ({@code SO_PEERCRED}), not by anything the client says. iscsid allows root only, or the uid of
 * {@code iscsid.ipc_auth_uid}; the socket's 0700 directory already keeps others out, this check
 * holds even where that directory is shared.
 */
public final class PeerCheck {
    private final Set<UserPrincipal> allowed;

    public PeerCheck(Set<UserPrincipal> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /**
     * Root and the owner of {@code ownFile}, a file this process created (the bound socket): its
     * owner is this process's user whether or not that user has a name.
     */
    public static PeerCheck rootAndOwnerOf(Path ownFile) throws IOException {
        Set<UserPrincipal> s = new LinkedHashSet<>();
        s.add(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        s.add(Files.getOwner(ownFile));
        return new PeerCheck(s);
    }

    public boolean allows(UnixDomainPrincipal peer) {
        return peer != null && allowed.contains(peer.user());
    }

    /** The allowed users, for the log. */
    public String describe() {
        return allowed.stream().map(UserPrincipal::getName).sorted().collect(Collectors.joining(", "));
    }
}
