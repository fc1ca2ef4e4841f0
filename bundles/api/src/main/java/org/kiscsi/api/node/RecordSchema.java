package org.kiscsi.api.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of each kind of record, in the order open-iscsi 2.1.8's {@code iscsiadm -o show} prints
 * them, with the value a new record gets when iscsid.conf says nothing (open-iscsi's compiled-in
 * defaults, as its {@code -o new} writes them; empty for none). Identity keys ({@code node.name},
 * {@code node.conn[0].address}, ...) have no default: each record has its own. The show order is not
 * the order of the record files (the file store keeps that one). Keys kiscsi adds (see
 * {@link NodeKeys}) are not listed here: open-iscsi does not know them.
 */
public enum RecordSchema {
    NODE(join(List.of(
            new Field("node.name", ""),
            new Field("node.tpgt", ""),
            new Field("node.startup", "manual"),
            new Field("node.leading_login", "No")),
            IfaceKeys.FIELDS,
            List.of(
                new Field("node.discovery_address", ""),
                new Field("node.discovery_port", "0"),
                new Field("node.discovery_type", "static"),
                new Field("node.session.initial_cmdsn", "0"),
                new Field("node.session.initial_login_retry_max", "4"),
                new Field("node.session.xmit_thread_priority", "-20"),
                new Field("node.session.cmds_max", "128"),
                new Field("node.session.queue_depth", "32"),
                new Field("node.session.nr_sessions", "1"),
                new Field("node.session.auth.authmethod", "None"),
                new Field("node.session.auth.username", ""),
                new Field("node.session.auth.password", ""),
                new Field("node.session.auth.username_in", ""),
                new Field("node.session.auth.password_in", ""),
                new Field("node.session.auth.chap_algs", "MD5"),
                new Field("node.session.timeo.replacement_timeout", "120"),
                new Field("node.session.err_timeo.abort_timeout", "15"),
                new Field("node.session.err_timeo.lu_reset_timeout", "30"),
                new Field("node.session.err_timeo.tgt_reset_timeout", "30"),
                new Field("node.session.err_timeo.host_reset_timeout", "60"),
                new Field("node.session.iscsi.FastAbort", "Yes"),
                new Field("node.session.iscsi.InitialR2T", "No"),
                new Field("node.session.iscsi.ImmediateData", "Yes"),
                new Field("node.session.iscsi.FirstBurstLength", "262144"),
                new Field("node.session.iscsi.MaxBurstLength", "16776192"),
                new Field("node.session.iscsi.DefaultTime2Retain", "0"),
                new Field("node.session.iscsi.DefaultTime2Wait", "2"),
                new Field("node.session.iscsi.MaxConnections", "1"),
                new Field("node.session.iscsi.MaxOutstandingR2T", "1"),
                new Field("node.session.iscsi.ERL", "0"),
                new Field("node.session.scan", "auto"),
                new Field("node.session.reopen_max", "0"),
                new Field("node.conn[0].address", ""),
                new Field("node.conn[0].port", ""),
                new Field("node.conn[0].startup", "manual"),
                new Field("node.conn[0].tcp.window_size", "524288"),
                new Field("node.conn[0].tcp.type_of_service", "0"),
                new Field("node.conn[0].timeo.logout_timeout", "15"),
                new Field("node.conn[0].timeo.login_timeout", "30"),
                new Field("node.conn[0].timeo.auth_timeout", "45"),
                new Field("node.conn[0].timeo.noop_out_interval", "5"),
                new Field("node.conn[0].timeo.noop_out_timeout", "5"),
                new Field("node.conn[0].iscsi.MaxXmitDataSegmentLength", "0"),
                new Field("node.conn[0].iscsi.MaxRecvDataSegmentLength", "262144"),
                new Field("node.conn[0].iscsi.HeaderDigest", "None"),
                new Field("node.conn[0].iscsi.DataDigest", "None"),
                new Field("node.conn[0].iscsi.IFMarker", "No"),
                new Field("node.conn[0].iscsi.OFMarker", "No")))),

    IFACE(IfaceKeys.FIELDS),

    SENDTARGETS(List.of(
            new Field("discovery.startup", "manual"),
            new Field("discovery.type", "sendtargets"),
            new Field("discovery.sendtargets.address", ""),
            new Field("discovery.sendtargets.port", ""),
            new Field("discovery.sendtargets.auth.authmethod", "None"),
            new Field("discovery.sendtargets.auth.username", ""),
            new Field("discovery.sendtargets.auth.password", ""),
            new Field("discovery.sendtargets.auth.username_in", ""),
            new Field("discovery.sendtargets.auth.password_in", ""),
            new Field("node.session.auth.chap_algs", "MD5"),
            new Field("discovery.sendtargets.timeo.login_timeout", "15"),
            new Field("discovery.sendtargets.use_discoveryd", "No"),
            new Field("discovery.sendtargets.discoveryd_poll_inval", "30"),
            new Field("discovery.sendtargets.reopen_max", "5"),
            new Field("discovery.sendtargets.timeo.auth_timeout", "45"),
            new Field("discovery.sendtargets.timeo.active_timeout", "30"),
            new Field("discovery.sendtargets.iscsi.MaxRecvDataSegmentLength", "32768"))),

    ISNS(List.of(
            new Field("discovery.startup", "manual"),
            new Field("discovery.type", "isns"),
            new Field("discovery.sendtargets.address", ""),
            new Field("discovery.sendtargets.port", ""),
            new Field("discovery.isns.use_discoveryd", "No"),
            new Field("discovery.isns.discoveryd_poll_inval", "-1")));

    /** One key and its default. */
    public record Field(String key, String defaultValue) {
    }

    private final List<Field> fields;
    private final Map<String, Field> byKey = new LinkedHashMap<>();

    RecordSchema(List<Field> fields) {
        this.fields = fields;
        for (Field f : fields) {
            byKey.put(f.key(), f);
        }
    }

    /** The keys in show order. */
    public List<Field> fields() {
        return fields;
    }

    /** Whether open-iscsi 2.1.8 knows {@code key} in this kind of record. */
    public boolean knows(String key) {
        return byKey.containsKey(key);
    }

    /** The default of {@code key}, empty when the key is unknown here. */
    public Optional<String> defaultOf(String key) {
        return Optional.ofNullable(byKey.get(key)).map(Field::defaultValue);
    }

    /** Every key with a non-empty default, in show order: what a new record starts from. */
    public RecordValues defaults() {
        RecordValues v = RecordValues.empty();
        for (Field f : fields) {
            if (!f.defaultValue().isEmpty()) {
                v = v.with(f.key(), f.defaultValue());
            }
        }
        return v;
    }

    /**
     * The iface keys: an iface record's own, and part of every node record in the same order (a node
     * is bound to an iface). A holder class, as an enum's own static fields are not yet set while its
     * constants are built.
     */
    private static final class IfaceKeys {
        static final List<Field> FIELDS = List.of(
                new Field("iface.iscsi_ifacename", ""),
                new Field("iface.net_ifacename", ""),
                new Field("iface.ipaddress", ""),
                new Field("iface.prefix_len", "0"),
                new Field("iface.hwaddress", ""),
                new Field("iface.transport_name", "tcp"),
                new Field("iface.initiatorname", ""),
                new Field("iface.state", ""),
                new Field("iface.vlan_id", "0"),
                new Field("iface.vlan_priority", "0"),
                new Field("iface.vlan_state", ""),
                new Field("iface.iface_num", "0"),
                new Field("iface.mtu", "0"),
                new Field("iface.port", "0"),
                new Field("iface.bootproto", ""),
                new Field("iface.subnet_mask", ""),
                new Field("iface.gateway", ""),
                new Field("iface.dhcp_alt_client_id_state", ""),
                new Field("iface.dhcp_alt_client_id", ""),
                new Field("iface.dhcp_dns", ""),
                new Field("iface.dhcp_learn_iqn", ""),
                new Field("iface.dhcp_req_vendor_id_state", ""),
                new Field("iface.dhcp_vendor_id_state", ""),
                new Field("iface.dhcp_vendor_id", ""),
                new Field("iface.dhcp_slp_da", ""),
                new Field("iface.fragmentation", ""),
                new Field("iface.gratuitous_arp", ""),
                new Field("iface.incoming_forwarding", ""),
                new Field("iface.tos_state", ""),
                new Field("iface.tos", "0"),
                new Field("iface.ttl", "0"),
                new Field("iface.delayed_ack", ""),
                new Field("iface.tcp_nagle", ""),
                new Field("iface.tcp_wsf_state", ""),
                new Field("iface.tcp_wsf", "0"),
                new Field("iface.tcp_timer_scale", "0"),
                new Field("iface.tcp_timestamp", ""),
                new Field("iface.redirect", ""),
                new Field("iface.def_task_mgmt_timeout", "0"),
                new Field("iface.header_digest", ""),
                new Field("iface.data_digest", ""),
                new Field("iface.immediate_data", ""),
                new Field("iface.initial_r2t", ""),
                new Field("iface.data_seq_inorder", ""),
                new Field("iface.data_pdu_inorder", ""),
                new Field("iface.erl", "0"),
                new Field("iface.max_receive_data_len", "0"),
                new Field("iface.first_burst_len", "0"),
                new Field("iface.max_outstanding_r2t", "0"),
                new Field("iface.max_burst_len", "0"),
                new Field("iface.chap_auth", ""),
                new Field("iface.bidi_chap", ""),
                new Field("iface.strict_login_compliance", ""),
                new Field("iface.discovery_auth", ""),
                new Field("iface.discovery_logout", ""));
    }

    @SafeVarargs
    private static List<Field> join(List<Field>... parts) {
        List<Field> all = new ArrayList<>();
        for (List<Field> part : parts) {
            all.addAll(part);
        }
        return List.copyOf(all);
    }
}
