package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * {@link DroppingPortal} on this machine (root, iproute2 and nftables, as dev/test provides): SYNs
 * to the portal vanish, another port of the same address refuses at once, and nothing is left after
 * close or after a run that died.
 */
class DroppingPortalTest {
    private static final int TIMEOUT_MS = 500;

    @Test
    void aConnectToThePortalTimesOutWhileAnotherPortOfTheAddressRefuses() throws Exception {
        try (DroppingPortal p = DroppingPortal.create(3260)) {
            assertTrue(p.address().startsWith("198.18.") || p.address().startsWith("198.19."), p.address());
            long t0 = System.nanoTime();
            try (Socket s = new Socket()) {
                assertThrows(SocketTimeoutException.class, () -> s.connect(new InetSocketAddress(p.address(), p.port()), TIMEOUT_MS),
                        "no RST and no SYN-ACK: the connect waits out its timeout");
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= TIMEOUT_MS - 50, "timed out only after " + ms + " ms");
            // the address is reachable: a port without the rule answers with RST at once
            long t1 = System.nanoTime();
            try (Socket s = new Socket()) {
                assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress(p.address(), p.port() + 1), 2000));
            }
            assertTrue((System.nanoTime() - t1) / 1_000_000 < TIMEOUT_MS, "refused at once");
        }
    }

    @Test
    void closeDeletesTheNamespaceAndItsLinks() {
        DroppingPortal p = DroppingPortal.create(3260);
        String ns = p.namespace();
        assertTrue(p.exists());
        p.close();
        assertFalse(DroppingPortal.namespaceExists(ns));
        assertFalse(Commands.check(Command.of(Tool.IP, "-o", "link", "show")).stdout().contains(p.hostAddress()),
                "no link of the pair is left");
        p.close(); // twice is harmless
    }

    @Test
    void twoAtOnceGetDistinctNamespacesAndAddresses() {
        try (DroppingPortal a = DroppingPortal.create(3260); DroppingPortal b = DroppingPortal.create(3260)) {
            assertFalse(a.namespace().equals(b.namespace()));
            assertFalse(a.address().equals(b.address()));
        }
    }

    @Test
    void leftoversOfADeadProcessAreRemovedAndThoseOfLiveOnesKept() {
        // a namespace named as a run of a pid that cannot be alive (above Linux's pid_max limit)
        String dead = DroppingPortal.NAMESPACE_PREFIX + "4194305-1";
        Commands.check(Command.of(Tool.IP, "netns", "add", dead));
        try (DroppingPortal live = DroppingPortal.create(3260)) {
            assertFalse(DroppingPortal.namespaceExists(dead), "create removed the leftover");
            assertEquals(0, DroppingPortal.removeLeftovers(), "a live run's namespace is no leftover");
            assertTrue(live.exists());
        } finally {
            Commands.run(Command.of(Tool.IP, "netns", "delete", dead));
        }
    }
}
