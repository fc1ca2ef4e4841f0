package org.kiscsi.transport.iser.internal;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** Endpoints for display: {@code 127.0.0.1:3260}, {@code [::1]:3260}. */
final class Addresses {
    private Addresses() {
    }

    static String display(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
