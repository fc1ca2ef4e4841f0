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

    /**
     * A connection of a session as {@code tgtadm --op show --mode conn --tid T} lists it: tgtd's
     * session id (its TSIH, the {@code --sid} of other requests), the connection id, the initiator's
     * name and the address the connection comes from.
     */
    public record Connection(int sid, int cid, String initiator, String address) {
    }

    /** A portal tgtd listens on ({@code --op show --mode portal}) with its portal group tag. */
    public record PortalGroup(String host, int port, int tpgt) {
    }

    /**
     * One connection's counters in {@code tgtadm --op stat --mode session}: bytes read and written
     * (whole PDUs, headers included) and the PDUs tgtd counts by opcode.
     */
    public record ConnectionStats(int sid, int cid, long rxOctets, long txOctets, long dataOutPdus, long dataInPdus, long cmdPdus,
            long rspPdus) {
    }

    private static final Pattern TARGET = Pattern.compile("^Target (\\d+): (\\S+)$");
    private static final Pattern PORTAL = Pattern.compile("^Portal: \\[?([^\\]]+?)\\]?:(\\d+),(\\d+)$");
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

    /** Parses {@code tgtadm --lld iscsi --op show --mode conn --tid T}. */
    public static List<Connection> parseConnections(String text) {
        List<Connection> out = new ArrayList<>();
        int sid = -1;
        int cid = -1;
        String initiator = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("Session: ")) {
                sid = Integer.parseInt(line.substring(9).strip());
            } else if (line.startsWith("Connection: ")) {
                cid = Integer.parseInt(line.substring(12).strip());
            } else if (line.startsWith("Initiator: ")) {
                initiator = line.substring(11).strip();
            } else if (line.startsWith("IP Address: ") && sid >= 0 && cid >= 0 && initiator != null) {
                out.add(new Connection(sid, cid, initiator, line.substring(12).strip()));
                cid = -1;
                initiator = null;
            }
        }
        return out;
    }

    /** Parses {@code tgtadm --lld iscsi --op show --mode portal}. */
    public static List<PortalGroup> parsePortals(String text) {
        List<PortalGroup> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            Matcher m = PORTAL.matcher(raw.strip());
            if (m.matches()) {
                out.add(new PortalGroup(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
            }
        }
        return out;
    }

    /**
     * The connection lines of {@code tgtadm --lld iscsi --op stat --mode session --tid T --sid S}
     * (after the per-LUN table, under the header {@code sid cid rxdata_octets ...}).
     */
    public static List<ConnectionStats> parseConnectionStats(String text) {
        List<ConnectionStats> out = new ArrayList<>();
        boolean inConnections = false;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("sid cid rxdata_octets")) {
                inConnections = true;
                continue;
            }
            if (!inConnections || line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 8) {
                throw new PeerException("unexpected tgtadm connection statistics line: '" + line + "'");
            }
            out.add(new ConnectionStats(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7])));
        }
        return out;
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
