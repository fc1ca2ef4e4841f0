package org.kiscsi.testkit.peers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One object isnsadm printed: its kind when shown ({@code Network Entity}, {@code iSCSI Storage
 * Node}, {@code Portal}, {@code iSCSI Portal Group}; empty for {@code --list}) and its attributes by
 * name, quotes removed: {@code iSCSI name -> iqn...}, {@code Portal TCP/UDP port -> 3260/tcp}.
 */
public record IsnsObject(String kind, Map<String, String> attributes) {
    private static final Pattern HEADER = Pattern.compile("^(?:Object \\d+:|object\\[\\d+\\] = <(.*)>)$");
    private static final Pattern ATTRIBUTE = Pattern.compile("^\\s+[0-9a-fA-F]{4}\\s+\\S+\\s*: (.+?) = (.*)$");

    public Optional<String> get(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    /** Parses isnsadm {@code --list} / {@code --query} output. */
    public static List<IsnsObject> parse(String text) {
        List<IsnsObject> out = new ArrayList<>();
        String kind = null;
        Map<String, String> attrs = null;
        for (String line : text.split("\n")) {
            Matcher h = HEADER.matcher(line.strip());
            Matcher a = ATTRIBUTE.matcher(line);
            if (h.matches()) {
                if (attrs != null) {
                    out.add(new IsnsObject(kind, Map.copyOf(attrs)));
                }
                kind = h.group(1) == null ? "" : h.group(1);
                attrs = new LinkedHashMap<>();
            } else if (attrs != null && a.matches()) {
                String v = a.group(2).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                attrs.putIfAbsent(a.group(1).strip(), v);
            }
        }
        if (attrs != null) {
            out.add(new IsnsObject(kind, Map.copyOf(attrs)));
        }
        return out;
    }
}
