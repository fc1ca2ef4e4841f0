package org.kiscsi.scsi.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What libiscsi 1.19's iscsi-inq and iscsi-readcapacity16 print, as fields (formats from
 * utils/iscsi-inq.c and utils/iscsi-readcapacity16.c of libiscsi 1.19.0, checked against the tools'
 * output on this machine). Missing fields fail with the output in the message.
 */
final class LibiscsiText {
    /** "P_TYPE:0 PROT_EN:0" and "LBPME:1 LBPRZ:1" carry two pairs on one line. */
    private static final Pattern PAIR = Pattern.compile("([A-Za-z_][A-Za-z_ ]*?):(\\S*)");
    private static final String DESIGNATOR_START = "DEVICE DESIGNATOR #";

    /** One designator as iscsi-inq prints it; {@code designator} is the C string printf("%s") made of the bytes. */
    record Designator(int codeSet, int piv, int association, int type, String designator) {
    }

    private final String text;
    private final Map<String, List<String>> fields = new LinkedHashMap<>();

    private LibiscsiText(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.computeIfAbsent(line.substring(0, colon).strip(), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).stripTrailing());
            }
        }
    }

    /** {@code Key:Value} lines; values keep their leading spaces (printf prints them). */
    static LibiscsiText of(String text) {
        return new LibiscsiText(text);
    }

    /** The value of the first {@code key} line. */
    String get(String key) {
        List<String> v = fields.get(key);
        if (v == null) {
            throw new AssertionError("the tool printed no \"" + key + ":\" line; it printed:\n" + text);
        }
        return v.get(0);
    }

    int number(String key) {
        return Integer.parseInt(get(key).strip());
    }

    long longNumber(String key) {
        return Long.parseLong(get(key).strip());
    }

    /** The leading number of a value such as "5 ANSI INCITS 408-2005 (SPC-3)". */
    int leadingNumber(String key) {
        return Integer.parseInt(get(key).strip().split("\\s+")[0]);
    }

    boolean flag(String key) {
        int v = number(key);
        if (v != 0 && v != 1) {
            throw new AssertionError(key + " is " + v + ", not a flag; output:\n" + text);
        }
        return v == 1;
    }

    /** Every value of a repeated key, in order. */
    List<String> all(String key) {
        return fields.getOrDefault(key, List.of());
    }

    /** The pairs of iscsi-readcapacity16, several per line. */
    Map<String, String> pairs() {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher p = PAIR.matcher(text);
        while (p.find()) {
            m.put(p.group(1).strip(), p.group(2));
        }
        return m;
    }

    /**
     * The designators of iscsi-inq -e 1 -c 131, in the order printed. Each is cut from its
     * "DEVICE DESIGNATOR #n" to the next, the value between "Designator:[" and the last ']', so that
     * binary designators holding '\n' or ']' bytes still parse.
     */
    List<Designator> designators() {
        List<Designator> out = new ArrayList<>();
        int at = text.indexOf(DESIGNATOR_START);
        while (at >= 0) {
            int next = text.indexOf(DESIGNATOR_START, at + 1);
            String chunk = text.substring(at, next < 0 ? text.length() : next);
            int open = chunk.indexOf("Designator:[");
            int close = chunk.lastIndexOf(']');
            if (open < 0 || close < open) {
                throw new AssertionError("a designator without \"Designator:[...]\":\n" + chunk);
            }
            LibiscsiText head = new LibiscsiText(chunk.substring(0, open));
            out.add(new Designator(code(head.get("Code Set")), head.number("PIV"), code(head.get("Association")),
                    code(head.get("Designator Type")), chunk.substring(open + "Designator:[".length(), close)));
            at = next;
        }
        return out;
    }

    /** "(1) BINARY" → 1. */
    private int code(String value) {
        String v = value.strip();
        if (!v.startsWith("(") || v.indexOf(')') < 0) {
            throw new AssertionError("expected \"(n) NAME\", got \"" + value + "\" in:\n" + text);
        }
        return Integer.parseInt(v.substring(1, v.indexOf(')')));
    }

    @Override
    public String toString() {
        return text;
    }
}
