package org.kiscsi.testkit.peers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports on loopback, as the kernel hands them out. Another process may take the port
 * between this call and the peer's bind: peers check that they really listen and retry.
 */
public final class FreePorts {
    private FreePorts() {
    }

    public static int pick(Loopback loopback) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(loopback.address()))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new PeerException("no free TCP port on " + loopback.address() + ": " + e.getMessage(), e);
        }
    }
}
