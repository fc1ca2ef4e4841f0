package org.kiscsi.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class AddressesTest {
    @Test
    void formatsAsRfc5952WithBrackets() throws Exception {
        assertEquals("127.0.0.1:3260", Addresses.format(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 3260)));
        assertEquals("[::1]:3260", Addresses.format(new InetSocketAddress(InetAddress.getByName("::1"), 3260)));
        assertEquals("[2001:db8::1:0:0:1]:1", Addresses.format(new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:1:0:0:1"), 1)));
        assertEquals("[2001:db8:0:1:1:1:1:1]:1", Addresses.format(new InetSocketAddress(InetAddress.getByName("2001:db8:0:1:1:1:1:1"), 1)));
        assertEquals("[::]:1", Addresses.format(new InetSocketAddress(InetAddress.getByName("::"), 1)));
        // a numeric zone shows as its interface name when there is one (lo is index 1 on Linux)
        assertEquals("[fe80::2%lo]:1", Addresses.format(new InetSocketAddress(InetAddress.getByName("fe80::2%1"), 1)));
        assertEquals("[fe80::2%4094]:1", Addresses.format(new InetSocketAddress(InetAddress.getByName("fe80::2%4094"), 1)));
    }

    @Test
    void tellsLiteralsFromNames() {
        assertTrue(Addresses.isLiteral("127.1.2.3"));
        assertTrue(Addresses.isLiteral("fe80::1%eth0"));
        assertFalse(Addresses.isLiteral("target.example"));
    }
}
