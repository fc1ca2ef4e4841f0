package org.kiscsi.testkit.peers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for libiscsi 1.19's tool output (formats seen in peers.md and on this machine). */
final class LibiscsiOutput {
    private static final Pattern TARGET = Pattern.compile("^Target:(\\S+) Portal:(\\S+)$");
    private static final Pattern LUN = Pattern.compile("^Lun:(\\d+)\\s+Type:(\\S+)(?:\\s+\\(Size:([^)]*)\\))?");
    private static final Pattern PERF = Pattern.compile("iops average (\\d+) \\((\\d+) MB/s\\)");
    private static final Pattern CAPACITY_PAIR = Pattern.compile("([A-Za-z_][A-Za-z_ ]*?):(\\S*)");
    private static final Pattern SERIAL = Pattern.compile("Unit Serial Number:\\[\\s*(.*?)\\s*\\]");

    private LibiscsiOutput() {
    }

    /** {@code iscsi-ls [-s]}: Target lines, each followed by its Lun lines with -s. */
    static List<ListedTarget> targets(String text) {
        List<ListedTarget> out = new ArrayList<>();
        String iqn = null;
        String portal = null;
        List<ListedTarget.Lun> luns = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            Matcher t = TARGET.matcher(line);
            Matcher l = LUN.matcher(line);
            if (t.matches()) {
                if (iqn != null) {
                    out.add(new ListedTarget(iqn, portal, List.copyOf(luns)));
                }
                iqn = t.group(1);
                portal = t.group(2);
                luns = new ArrayList<>();
            } else if (l.find() && iqn != null) {
                luns.add(new ListedTarget.Lun(Integer.parseInt(l.group(1)), l.group(2), l.group(3) == null ? "" : l.group(3)));
            }
        }
        if (iqn != null) {
            out.add(new ListedTarget(iqn, portal, List.copyOf(luns)));
        }
        return out;
    }

    /** {@code iscsi-inq}: {@code Key:Value} lines. */
    static Inquiry inquiry(String text) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                f.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        if (!f.containsKey("Vendor") || !f.containsKey("Peripheral Device Type")) {
            throw new PeerException("iscsi-inq output has no standard INQUIRY data:\n" + CommandResult.tail(text, 10));
        }
        return new Inquiry(f.getOrDefault("Peripheral Qualifier", ""), f.get("Peripheral Device Type"), f.get("Vendor"),
                f.getOrDefault("Product", ""), f.getOrDefault("Revision", ""), f.getOrDefault("Version", ""),
                "1".equals(f.get("CmdQue")), Map.copyOf(f));
    }

    /** {@code iscsi-inq -e 1 -c 0x80}. */
    static String unitSerialNumber(String text) {
        Matcher m = SERIAL.matcher(text);
        if (!m.find()) {
            throw new PeerException("iscsi-inq printed no Unit Serial Number:\n" + CommandResult.tail(text, 10));
        }
        return m.group(1);
    }

    /** {@code iscsi-readcapacity16}. */
    static ReadCapacity capacity(String text) {
        Map<String, String> f = new LinkedHashMap<>();
        // "LBPME:1 LBPRZ:1" and "P_TYPE:0 PROT_EN:0" carry two pairs on one line
        Matcher m = CAPACITY_PAIR.matcher(text);
        while (m.find()) {
            f.put(m.group(1).strip(), m.group(2));
        }
        try {
            return new ReadCapacity(Long.parseLong(f.get("RETURNED LOGICAL BLOCK ADDRESS")), Integer.parseInt(f.get("LOGICAL BLOCK LENGTH IN BYTES")),
                    Long.parseLong(f.get("Total size")), "1".equals(f.get("LBPME")), "1".equals(f.get("LBPRZ")));
        } catch (RuntimeException e) {
            throw new PeerException("cannot parse iscsi-readcapacity16 output (" + e + "):\n" + CommandResult.tail(text, 10), e);
        }
    }

    /** {@code iscsi-perf}: the last "iops average" (lines end in \r while it runs). */
    static long[] perf(String text) {
        Matcher m = PERF.matcher(text);
        long[] last = null;
        while (m.find()) {
            last = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        }
        if (last == null) {
            throw new PeerException("iscsi-perf printed no 'iops average' line:\n" + CommandResult.tail(text, 10));
        }
        return last;
    }
}
