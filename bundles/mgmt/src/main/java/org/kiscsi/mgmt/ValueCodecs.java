package org.kiscsi.mgmt;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Isid;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.DaemonStatus;
import org.kiscsi.api.manage.HostInfo;
import org.kiscsi.api.manage.LunSummary;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.Capacity;
import org.kiscsi.api.scsi.StandardInquiry;
import org.kiscsi.api.session.ConnectionInfo;
import org.kiscsi.api.session.ConnectionState;
import org.kiscsi.api.session.RecoveryStage;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionStatistics;
import org.kiscsi.api.session.SessionType;

/**
 * The row form of every value the management service carries. Record values travel under
 * {@code v:<key>}, negotiated keys under {@code neg:<key>}, nested values under a prefix
 * ({@code conn[0].}, {@code lun[2].inq.}); everything else is a plain field.
 */
final class ValueCodecs {
    private ValueCodecs() {
    }

    static final String VALUE = "v:";
    static final String NEGOTIATED = "neg:";

    static final RowCodec<NodeKey> NODE_KEY = new RowCodec<>() {
        public void write(NodeKey k, Fields.Writer w) {
            w.put("target", k.target().value()).put("portal", k.portal().toString()).put("iface", k.iface());
        }

        public NodeKey read(Fields.Reader r) {
            return new NodeKey(IscsiName.of(r.req("target")), Portal.parse(r.req("portal")), r.req("iface"));
        }
    };

    static final RowCodec<RecordValues> VALUES = new RowCodec<>() {
        public void write(RecordValues v, Fields.Writer w) {
            w.putAll(VALUE, v.asMap());
        }

        public RecordValues read(Fields.Reader r) {
            return RecordValues.of(r.under(VALUE));
        }
    };

    static final RowCodec<NodeRecord> NODE_RECORD = new RowCodec<>() {
        public void write(NodeRecord n, Fields.Writer w) {
            VALUES.write(n.values(), w);
        }

        public NodeRecord read(Fields.Reader r) {
            return NodeRecord.of(VALUES.read(r));
        }
    };

    static final RowCodec<IfaceRecord> IFACE_RECORD = new RowCodec<>() {
        public void write(IfaceRecord i, Fields.Writer w) {
            w.put("name", i.name());
            VALUES.write(i.values(), w);
        }

        public IfaceRecord read(Fields.Reader r) {
            return new IfaceRecord(r.req("name"), VALUES.read(r));
        }
    };

    static final RowCodec<DiscoveryRecord> DISCOVERY_RECORD = new RowCodec<>() {
        public void write(DiscoveryRecord d, Fields.Writer w) {
            w.put("type", d.type().name()).put("address", d.address().toString());
            VALUES.write(d.values(), w);
        }

        public DiscoveryRecord read(Fields.Reader r) {
            return new DiscoveryRecord(r.enumValue("type", DiscoveryType.class), Portal.parse(r.req("address")), VALUES.read(r));
        }
    };

    static final RowCodec<String> NAME = new RowCodec<>() {
        public void write(String n, Fields.Writer w) {
            w.put("name", n);
        }

        public String read(Fields.Reader r) {
            return r.req("name");
        }
    };

    static final RowCodec<Portal> ADDRESS = new RowCodec<>() {
        public void write(Portal p, Fields.Writer w) {
            w.put("address", p.toString());
        }

        public Portal read(Fields.Reader r) {
            return Portal.parse(r.req("address"));
        }
    };

    static final RowCodec<Duration> DURATION = new RowCodec<>() {
        public void write(Duration d, Fields.Writer w) {
            w.put("ms", d.toMillis());
        }

        public Duration read(Fields.Reader r) {
            return Duration.ofMillis(r.num("ms"));
        }
    };

    /** The fields verbatim, in order: protocol 1's status row had exactly these keys. */
    static final RowCodec<DaemonStatus> DAEMON_STATUS = new RowCodec<>() {
        public void write(DaemonStatus s, Fields.Writer w) {
            s.fields().forEach(w::put);
        }

        public DaemonStatus read(Fields.Reader r) {
            return new DaemonStatus(r.under(""));
        }
    };

    static final RowCodec<ConnectionInfo> CONNECTION = new RowCodec<>() {
        public void write(ConnectionInfo c, Fields.Writer w) {
            w.put("cid", c.cid()).put("state", c.state().name()).put("transport", c.transport())
                    .put("local", c.localAddress()).put("remote", c.remoteAddress()).putAll(NEGOTIATED, c.negotiated());
        }

        public ConnectionInfo read(Fields.Reader r) {
            return new ConnectionInfo(r.integer("cid"), r.enumValue("state", ConnectionState.class), r.req("transport"),
                    r.req("local"), r.req("remote"), r.under(NEGOTIATED));
        }
    };

    static final RowCodec<SessionInfo> SESSION_INFO = new RowCodec<>() {
        public void write(SessionInfo s, Fields.Writer w) {
            w.put("sid", s.sid());
            NODE_KEY.write(s.node(), w);
            w.put("type", s.type().name()).put("isid", s.isid().toString()).put("tsih", s.tsih())
                    .put("state", s.state().name()).put("recovery", s.recovery().name()).put("alias", s.targetAlias())
                    .put("since", s.since().toString()).putAll(NEGOTIATED, s.negotiated())
                    .put("connections", s.connections().size());
            for (int i = 0; i < s.connections().size(); i++) {
                CONNECTION.write(s.connections().get(i), w.nested("conn[" + i + "]."));
            }
        }

        public SessionInfo read(Fields.Reader r) {
            List<ConnectionInfo> conns = new ArrayList<>();
            int n = r.integer("connections");
            for (int i = 0; i < n; i++) {
                conns.add(CONNECTION.read(r.nested("conn[" + i + "].")));
            }
            return new SessionInfo(r.num("sid"), NODE_KEY.read(r), r.enumValue("type", SessionType.class),
                    Isid.parse(r.req("isid")), r.integer("tsih"), r.enumValue("state", SessionState.class),
                    r.enumValue("recovery", RecoveryStage.class), conns, r.under(NEGOTIATED), r.req("alias"),
                    Instant.parse(r.req("since")));
        }
    };

    static final RowCodec<StandardInquiry> INQUIRY = new RowCodec<>() {
        public void write(StandardInquiry q, Fields.Writer w) {
            w.put("pq", q.peripheralQualifier()).put("type", q.deviceType()).put("rmb", q.removable())
                    .put("version", q.version()).put("format", q.responseDataFormat()).put("hisup", q.hierarchicalSupport())
                    .put("normaca", q.normalAca()).put("sccs", q.sccs()).put("tpgs", q.tpgs()).put("3pc", q.thirdPartyCopy())
                    .put("protect", q.protect()).put("encserv", q.enclosureServices()).put("multip", q.multiPort())
                    .put("cmdque", q.commandQueuing()).put("vendor", q.vendor()).put("product", q.product())
                    .put("revision", q.revision()).put("descriptors", q.versionDescriptors().stream().map(String::valueOf)
                            .collect(Collectors.joining(",")));
        }

        public StandardInquiry read(Fields.Reader r) {
            String d = r.req("descriptors");
            List<Integer> descriptors = d.isEmpty() ? List.of() : Arrays.stream(d.split(",")).map(Integer::valueOf).toList();
            return new StandardInquiry(r.integer("pq"), r.integer("type"), r.bool("rmb"), r.integer("version"),
                    r.integer("format"), r.bool("hisup"), r.bool("normaca"), r.bool("sccs"), r.integer("tpgs"), r.bool("3pc"),
                    r.bool("protect"), r.bool("encserv"), r.bool("multip"), r.bool("cmdque"), r.req("vendor"),
                    r.req("product"), r.req("revision"), descriptors);
        }
    };

    static final RowCodec<Capacity> CAPACITY = new RowCodec<>() {
        public void write(Capacity c, Fields.Writer w) {
            w.put("blocks", c.blockCount()).put("block_size", c.blockSize()).put("pexp", c.physicalBlockExponent())
                    .put("lowest_aligned", c.lowestAlignedLba()).put("prot", c.protectionType())
                    .put("lbpme", c.provisioningEnabled()).put("lbprz", c.readsZeros());
        }

        public Capacity read(Fields.Reader r) {
            return new Capacity(r.num("blocks"), r.integer("block_size"), r.integer("pexp"), r.integer("lowest_aligned"),
                    r.integer("prot"), r.bool("lbpme"), r.bool("lbprz"));
        }
    };

    static final RowCodec<LunSummary> LUN = new RowCodec<>() {
        public void write(LunSummary l, Fields.Writer w) {
            w.put("lun", l.lun()).put("problem", l.problem());
            INQUIRY.write(l.inquiry(), w.nested("inq."));
            l.capacity().ifPresent(c -> CAPACITY.write(c, w.nested("cap.")));
        }

        public LunSummary read(Fields.Reader r) {
            Optional<Capacity> cap = r.has("cap.blocks") ? Optional.of(CAPACITY.read(r.nested("cap."))) : Optional.empty();
            return new LunSummary(r.num("lun"), INQUIRY.read(r.nested("inq.")), cap, r.req("problem"));
        }
    };

    static final RowCodec<SessionDetails> SESSION_DETAILS = new RowCodec<>() {
        public void write(SessionDetails d, Fields.Writer w) {
            SESSION_INFO.write(d.info(), w);
            w.put("host", d.hostNumber()).put("record", d.record().isPresent());
            d.record().ifPresent(n -> NODE_RECORD.write(n, w.nested("record.")));
            IFACE_RECORD.write(d.iface(), w.nested("iface_record."));
            w.put("luns", d.luns().size());
            for (int i = 0; i < d.luns().size(); i++) {
                LUN.write(d.luns().get(i), w.nested("lun[" + i + "]."));
            }
        }

        public SessionDetails read(Fields.Reader r) {
            Optional<NodeRecord> record = r.bool("record") ? Optional.of(NODE_RECORD.read(r.nested("record.")))
                    : Optional.empty();
            List<LunSummary> luns = new ArrayList<>();
            int n = r.integer("luns");
            for (int i = 0; i < n; i++) {
                luns.add(LUN.read(r.nested("lun[" + i + "].")));
            }
            return new SessionDetails(SESSION_INFO.read(r), record, IFACE_RECORD.read(r.nested("iface_record.")),
                    r.integer("host"), luns);
        }
    };

    static final RowCodec<HostInfo> HOST = new RowCodec<>() {
        public void write(HostInfo h, Fields.Writer w) {
            w.put("number", h.number()).put("transport", h.transport()).put("ip", h.ipAddress()).put("hw", h.hwAddress())
                    .put("netdev", h.netdev()).put("initiator", h.initiatorName())
                    .put("sids", h.sids().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }

        public HostInfo read(Fields.Reader r) {
            String s = r.req("sids");
            List<Long> sids = s.isEmpty() ? List.of() : Arrays.stream(s.split(",")).map(Long::valueOf).toList();
            return new HostInfo(r.integer("number"), r.req("transport"), r.req("ip"), r.req("hw"), r.req("netdev"),
                    r.req("initiator"), sids);
        }
    };

    /** The counters by the names open-iscsi's {@code -s} prints them, the transport's own under {@code ext:}. */
    static final RowCodec<SessionStatistics> STATISTICS = new RowCodec<>() {
        public void write(SessionStatistics s, Fields.Writer w) {
            long[] v = {s.txDataOctets(), s.rxDataOctets(), s.nopOutPdus(), s.scsiCommandPdus(), s.tmfRequestPdus(),
                s.loginPdus(), s.textPdus(), s.dataOutPdus(), s.logoutPdus(), s.snackPdus(), s.nopInPdus(),
                s.scsiResponsePdus(), s.tmfResponsePdus(), s.textResponsePdus(), s.dataInPdus(), s.logoutResponsePdus(),
                s.r2tPdus(), s.asyncPdus(), s.rejectPdus(), s.digestErrors(), s.timeoutErrors()};
            for (int i = 0; i < v.length; i++) {
                w.put(STAT_NAMES[i], v[i]);
            }
            Map<String, String> ext = new LinkedHashMap<>();
            s.extended().forEach((k, x) -> ext.put(k, Long.toString(x)));
            w.putAll("ext:", ext);
        }

        public SessionStatistics read(Fields.Reader r) {
            long[] v = new long[STAT_NAMES.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.num(STAT_NAMES[i]);
            }
            Map<String, Long> ext = new LinkedHashMap<>();
            r.under("ext:").forEach((k, x) -> ext.put(k, Long.valueOf(x)));
            return new SessionStatistics(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
                    v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20], ext);
        }
    };

    private static final String[] STAT_NAMES = {"txdata_octets", "rxdata_octets", "noptx_pdus", "scsicmd_pdus",
        "tmfcmd_pdus", "login_pdus", "text_pdus", "dataout_pdus", "logout_pdus", "snack_pdus", "noprx_pdus",
        "scsirsp_pdus", "tmfrsp_pdus", "textrsp_pdus", "datain_pdus", "logoutrsp_pdus", "r2t_pdus", "async_pdus",
        "rjt_pdus", "digest_err", "timeout_err"};
}
