package org.kiscsi.transport.tcp.internal;

import java.io.IOException;

/** Tells a peer's reset (ECONNRESET) from other read failures. Public for the package's tests only: not exported. */
public final class PeerResets {
    private PeerResets() {
    }

    /** ECONNRESET as the JDK reports it: "Connection reset" (NIO), "Connection reset by peer". */
    public static boolean isPeerReset(IOException e) {
        String m = e.getMessage();
        return m != null && m.startsWith("Connection reset");
    }
}
