package org.kiscsi.mgmt.text;

import java.util.Optional;

/** A transport endpoint as a connection reports it ({@code 127.0.0.1:3260}, {@code /127.0.0.1:3260}, {@code [::1]:3260}). */
record Endpoint(String address, int port) {
    static Optional<Endpoint> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String s = text.trim();
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return Optional.of(new Endpoint(host, Integer.parseInt(s.substring(colon + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
