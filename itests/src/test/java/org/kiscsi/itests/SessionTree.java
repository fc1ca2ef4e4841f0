package org.kiscsi.itests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code iscsiadm -m session -P 1..3} parsed as open-iscsi 2.1.8 prints it (usr/session_info.c
 * session_info_print_tree): "Target: T (non-flash)", then "\tCurrent Portal: ip:port,tpgt" and
 * "\tPersistent Portal: ...", then per session "\t\tKey: value" lines from the Interface block on
 * (a session of the same target and portal as the one before gets an empty line instead of the portal
 * lines). Keys that repeat (the CHAP password lines) keep their first value.
 */
record SessionTree(List<Session> sessions) {
    record Session(String target, String currentPortal, String persistentPortal, Map<String, String> fields, List<String> lines) {
        String field(String key) {
            String v = fields.get(key);
            if (v == null) {
                throw new AssertionError("no '" + key + "' line in the session block:\n" + String.join("\n", lines));
            }
            return v;
        }

        /** The lines from the one holding {@code Lun: n} up to the next LUN's (or the block's end), for -P 3. */
        Optional<List<String>> lun(int n) {
            int from = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).matches(".*\\bLun: " + n + "\\b.*")) {
                    from = i;
                    break;
                }
            }
            if (from < 0) {
                return Optional.empty();
            }
            int to = from + 1;
            while (to < lines.size() && !lines.get(to).matches(".*\\bLun: \\d+\\b.*")) {
                to++;
            }
            return Optional.of(lines.subList(from, to));
        }
    }

    static SessionTree parse(String out) {
        List<Session> sessions = new ArrayList<>();
        String target = null;
        String current = null;
        String persistent = null;
        Map<String, String> fields = null;
        List<String> lines = null;
        String[] owner = null;
        String[] all = out.split("\n");
        for (int i = 0; i < all.length; i++) {
            String l = all[i];
            if (l.startsWith("Target: ")) {
                target = l.substring(8).replace(" (non-flash)", "");
            } else if (l.startsWith("\tCurrent Portal: ")) {
                current = l.substring(17);
            } else if (l.startsWith("\tPersistent Portal: ")) {
                persistent = l.substring(20);
            } else if (l.equals("\t\t**********") && i + 1 < all.length && all[i + 1].equals("\t\tInterface:")) {
                if (fields != null) {
                    sessions.add(new Session(owner[0], owner[1], owner[2], fields, lines));
                }
                // the block belongs to the target and portal printed before it, not to the next one's
                owner = new String[] {target, current, persistent};
                fields = new LinkedHashMap<>();
                lines = new ArrayList<>();
            } else if (fields != null && l.startsWith("\t\t")) {
                lines.add(l);
                int colon = l.indexOf(": ");
                if (colon > 0) {
                    fields.putIfAbsent(l.substring(2, colon).strip(), l.substring(colon + 2).strip());
                }
            }
        }
        if (fields != null) {
            sessions.add(new Session(owner[0], owner[1], owner[2], fields, lines));
        }
        return new SessionTree(sessions);
    }

    Session bySid(String sid) {
        return sessions.stream().filter(s -> sid.equals(s.fields().get("SID"))).findFirst()
                .orElseThrow(() -> new AssertionError("no session with SID " + sid + " in " + sessions));
    }
}
