package org.kiscsi.testkit.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wire checks with tshark: {@link #capture} records loopback traffic of given TCP ports into a
 * pcap; the static decoders read a pcap back, with each given port decoded as iSCSI
 * ({@code -d tcp.port==P,iscsi}; 3260 is recognised anyway).
 */
public final class Tshark {
    /** Separates the occurrences of one field in a frame; iSCSI key=value lists contain commas themselves. */
    private static final String AGGREGATOR = "\u001f";
    private static final Duration DECODE_TIMEOUT = Duration.ofSeconds(60);
    private static final String[] PDU_FIELDS = {"frame.number", "tcp.stream", "tcp.srcport", "tcp.dstport", "iscsi.opcode",
        "iscsi.initiatortasktag", "iscsi.scsidata.S"};

    private Tshark() {
    }

    /** Starts capturing TCP traffic of {@code tcpPorts} on lo and returns once packets really reach the file. */
    public static TsharkCapture capture(int... tcpPorts) {
        return TsharkCapture.start(tcpPorts);
    }

    /**
     * {@code tshark -r pcap -Y displayFilter -T fields -e ...}: one row per matching frame. Empty
     * {@code displayFilter} means every frame.
     */
    public static List<FieldRow> fields(Path pcap, int[] iscsiPorts, String displayFilter, String... fields) {
        List<String> args = new ArrayList<>(List.of("-r", pcap.toString(), "-n"));
        for (int p : iscsiPorts) {
            args.addAll(List.of("-d", "tcp.port==" + p + ",iscsi"));
        }
        if (!displayFilter.isEmpty()) {
            args.addAll(List.of("-Y", displayFilter));
        }
        args.addAll(List.of("-T", "fields", "-E", "separator=/t", "-E", "quote=n", "-E", "occurrence=a", "-E", "aggregator=" + AGGREGATOR));
        for (String f : fields) {
            args.addAll(List.of("-e", f));
        }
        CommandResult r = Commands.check(Command.of(Tool.TSHARK.path(), args).withTimeout(DECODE_TIMEOUT));
        List<FieldRow> rows = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (int i = 0; i < fields.length; i++) {
                String col = i < cols.length ? cols[i] : "";
                values.put(fields[i], col.isEmpty() ? List.of() : List.of(col.split(AGGREGATOR, -1)));
            }
            rows.add(new FieldRow(values));
        }
        return rows;
    }

    /**
     * Every iSCSI PDU to or from {@code targetPort}, in capture order, several per frame where a
     * segment carried several. Opcode and ITT lists of a frame must pair up one to one, and the
     * S bits with its Data-In PDUs; otherwise this throws rather than guess.
     */
    public static List<IscsiPdu> iscsiPdus(Path pcap, int targetPort) {
        List<IscsiPdu> pdus = new ArrayList<>();
        for (FieldRow row : fields(pcap, new int[] {targetPort}, "iscsi && tcp.port==" + targetPort, PDU_FIELDS)) {
            List<String> ops = row.all("iscsi.opcode");
            List<String> itts = row.all("iscsi.initiatortasktag");
            List<String> sBits = row.all("iscsi.scsidata.S");
            long dataIns = ops.stream().filter(o -> parseHex(o) == IscsiPdu.SCSI_DATA_IN).count();
            if (ops.size() != itts.size() || sBits.size() != dataIns) {
                throw new PeerException("frame " + row.first("frame.number") + " of " + pcap + ": cannot pair iSCSI fields (opcodes "
                        + ops + ", ITTs " + itts + ", S bits " + sBits + ")");
            }
            int s = 0;
            for (int i = 0; i < ops.size(); i++) {
                int op = (int) parseHex(ops.get(i));
                boolean status = op == IscsiPdu.SCSI_DATA_IN && "1".equals(sBits.get(s++));
                pdus.add(new IscsiPdu(Integer.parseInt(row.first("frame.number")), Integer.parseInt(row.first("tcp.stream")),
                        Integer.parseInt(row.first("tcp.srcport")), Integer.parseInt(row.first("tcp.dstport")), op,
                        parseHex(itts.get(i)), status));
            }
        }
        return pdus;
    }

    /**
     * Frames towards {@code targetPort} (initiator to target) that Wireshark flags malformed or
     * with an expert warning or error, as "frame N: summary". The target-to-initiator direction is
     * left out: tgtd's Data-In truncated by a short allocation length is a known false positive.
     */
    public static List<String> initiatorSideProblems(Path pcap, int targetPort) {
        return problems(pcap, targetPort, "(_ws.malformed || _ws.expert.severity >= warning) && tcp.dstport==" + targetPort);
    }

    /**
     * Like {@link #initiatorSideProblems} but without TCP's own analysis notes (zero windows from the
     * peer's back-pressure, segments the capture dropped under load, D-SACKs): what is left is about
     * the iSCSI PDUs themselves. For captures of heavy I/O.
     */
    public static List<String> initiatorSideIscsiProblems(Path pcap, int targetPort) {
        return problems(pcap, targetPort, "(_ws.malformed || (_ws.expert.severity >= warning && iscsi && !tcp.analysis.flags)) && tcp.dstport==" + targetPort);
    }

    /**
     * Segments the capture itself missed (dumpcap drops packets on a loaded machine): Wireshark then
     * cannot pair some Data-Out PDUs with their command and says "Unknown SCSI exchange" about them,
     * which says nothing about the PDUs.
     */
    public static int lostSegments(Path pcap, int targetPort) {
        return fields(pcap, new int[] {targetPort}, "tcp.analysis.lost_segment && tcp.port==" + targetPort, "frame.number").size();
    }

    private static List<String> problems(Path pcap, int targetPort, String filter) {
        List<String> problems = new ArrayList<>();
        for (FieldRow row : fields(pcap, new int[] {targetPort}, filter,
                "frame.number", "_ws.col.Info", "_ws.expert.message")) {
            problems.add("frame " + row.first("frame.number") + ": " + row.first("_ws.col.Info") + " " + row.all("_ws.expert.message"));
        }
        return problems;
    }

    /** {@link OutstandingCommands#max} over {@link #iscsiPdus}. */
    public static int maxOutstandingCommands(Path pcap, int targetPort) {
        return OutstandingCommands.max(iscsiPdus(pcap, targetPort));
    }

    private static long parseHex(String s) {
        String v = s.strip();
        return Long.parseLong(v.startsWith("0x") ? v.substring(2) : v, 16);
    }
}
