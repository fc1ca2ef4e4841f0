package org.kiscsi.iscsid.internal.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SessionViewTest {
    @Test
    void aHostsAddressIsItsSessionsLocalAddressWithoutThePort() {
        assertEquals("127.0.0.1", SessionView.addressOnly("127.0.0.1:35934"));
        assertEquals("127.0.0.1", SessionView.addressOnly("/127.0.0.1:35934"));
        assertEquals("::1", SessionView.addressOnly("[::1]:35934"));
        assertEquals("fe80::1%lo", SessionView.addressOnly("[fe80::1%lo]:3260"));
        assertEquals("::1", SessionView.addressOnly("::1"), "a bare IPv6 address has no port to drop");
        assertEquals("in-jvm", SessionView.addressOnly("in-jvm:1001"));
    }
}
