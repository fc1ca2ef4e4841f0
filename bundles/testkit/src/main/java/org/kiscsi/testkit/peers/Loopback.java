package org.kiscsi.testkit.peers;

/** The loopback address family a peer listens on. */
public enum Loopback {
    IPV4("127.0.0.1"),
    IPV6("::1");

    private final String address;

    Loopback(String address) {
        this.address = address;
    }

    /** The literal without brackets: {@code 127.0.0.1}, {@code ::1}. */
    public String address() {
        return address;
    }

    /** The host as it appears in URLs and {@code host:port}: {@code 127.0.0.1}, {@code [::1]}. */
    public String uriHost() {
        return this == IPV6 ? "[" + address + "]" : address;
    }

    /** {@code 127.0.0.1:3260} or {@code [::1]:3260}. */
    public String hostPort(int port) {
        return uriHost() + ":" + port;
    }
}
