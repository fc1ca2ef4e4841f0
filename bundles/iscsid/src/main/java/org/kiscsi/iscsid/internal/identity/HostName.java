package org.kiscsi.iscsid.internal.identity;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's node name, as {@code uname -n} gives it: iscsid's default InitiatorAlias. */
public final class HostName {
    private HostName() {
    }

    public static String get() {
        try {
            String n = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!n.isEmpty()) {
                return n;
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or hidden: ask the resolver instead
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
