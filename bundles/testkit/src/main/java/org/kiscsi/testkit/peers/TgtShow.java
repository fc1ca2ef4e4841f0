package org.kiscsi.testkit.peers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsed {@code tgtadm --op show --mode target} output and target parameters. */
public final class TgtShow {
    /** One target: its sessions (I_T nexuses), LUNs, bound accounts and ACL entries. */
    public record Target(int tid, String iqn, String state, List<Nexus> nexuses, List<Lun> luns, List<String> accounts, List<String> acl) {
        public Optional<Lun> lun(int number) {
            return luns.stream().filter(l -> l.lun() == number).findFirst();
        }
    }

    /** A logged-in initiator and the addresses of its connections. */
    public record Nexus(int id, String initiator, List<String> addresses) {
    }

    /** One LUN as tgtd reports it; {@code sizeMb} is tgtd's rounded size in 10^6 bytes, {@code serial} its VPD 0x80 serial. */
    public record Lun(int lun, String type, String serial, long sizeMb, int blockSize, boolean online, boolean thinProvisioning,
            String backingStoreType, String backingStorePath) {
    }

    private static final Pattern TARGET = Pattern.compile("^Target (\\d+): (\\S+)$");
    private static final Pattern SIZE = Pattern.compile("^Size: (\\d+) MB, Block size: (\\d+)$");

    private TgtShow() {
    }

    /** Parses the output of {@code tgtadm --lld iscsi --op show --mode target}. */
    public static List<Target> parseTargets(String text) {
        List<Target> targets = new ArrayList<>();
        TargetBuilder t = null;
        String section = "";
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            Matcher m = TARGET.matcher(raw);
            if (m.matches()) {
                if (t != null) {
                    targets.add(t.build());
                }
                t = new TargetBuilder(Integer.parseInt(m.group(1)), m.group(2));
                section = "";
                continue;
            }
            if (t == null || line.isEmpty()) {
                continue;
            }
            if (line.endsWith("information:")) {
                section = line;
                continue;
            }
            t.accept(section, line);
        }
        if (t != null) {
            targets.add(t.build());
        }
        return targets;
    }

    /** Parses {@code tgtadm --op show --mode target --tid N}: {@code Key=Value} lines, in order. */
    public static Map<String, String> parseParameters(String text) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                params.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return params;
    }

    private static final class TargetBuilder {
        private final int tid;
        private final String iqn;
        private String state = "";
        private final List<Nexus> nexuses = new ArrayList<>();
        private final List<Lun> luns = new ArrayList<>();
        private final List<String> accounts = new ArrayList<>();
        private final List<String> acl = new ArrayList<>();
        private int nexusId = -1;
        private String initiator = "";
        private List<String> addresses = new ArrayList<>();
        private Map<String, String> lun;

        TargetBuilder(int tid, String iqn) {
            this.tid = tid;
            this.iqn = iqn;
        }

        void accept(String section, String line) {
            switch (section) {
                case "System information:" -> {
                    if (line.startsWith("State: ")) {
                        state = line.substring(7);
                    }
                }
                case "I_T nexus information:" -> nexus(line);
                case "LUN information:" -> lunLine(line);
                case "Account information:" -> accounts.add(line);
                case "ACL information:" -> acl.add(line);
                default -> { }
            }
        }

        private void nexus(String line) {
            if (line.startsWith("I_T nexus: ")) {
                endNexus();
                nexusId = Integer.parseInt(line.substring(11).strip());
            } else if (line.startsWith("Initiator: ")) {
                String rest = line.substring(11);
                int alias = rest.indexOf(" alias:");
                initiator = alias >= 0 ? rest.substring(0, alias) : rest;
            } else if (line.startsWith("IP Address: ")) {
                addresses.add(line.substring(12));
            }
        }

        private void endNexus() {
            if (nexusId >= 0) {
                nexuses.add(new Nexus(nexusId, initiator, List.copyOf(addresses)));
            }
            nexusId = -1;
            initiator = "";
            addresses = new ArrayList<>();
        }

        private void lunLine(String line) {
            if (line.startsWith("LUN: ")) {
                endLun();
                lun = new LinkedHashMap<>();
                lun.put("LUN", line.substring(5).strip());
                return;
            }
            Matcher m = SIZE.matcher(line);
            if (lun != null && m.matches()) {
                lun.put("SizeMb", m.group(1));
                lun.put("BlockSize", m.group(2));
            } else if (lun != null) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    lun.put(line.substring(0, colon), line.substring(colon + 1).strip());
                }
            }
        }

        private void endLun() {
            if (lun != null) {
                luns.add(new Lun(Integer.parseInt(lun.get("LUN")), lun.getOrDefault("Type", ""), lun.getOrDefault("SCSI SN", ""),
                        Long.parseLong(lun.getOrDefault("SizeMb", "0")), Integer.parseInt(lun.getOrDefault("BlockSize", "0")),
                        "Yes".equals(lun.get("Online")), "Yes".equals(lun.get("Thin-provisioning")),
                        lun.getOrDefault("Backing store type", ""), lun.getOrDefault("Backing store path", "")));
            }
            lun = null;
        }

        Target build() {
            endNexus();
            endLun();
            return new Target(tid, iqn, state, List.copyOf(nexuses), List.copyOf(luns), List.copyOf(accounts), List.copyOf(acl));
        }
    }
}
