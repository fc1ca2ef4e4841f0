package org.kiscsi.store.file.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kinds of record file open-iscsi writes and the keys each holds, in the order open-iscsi 2.1.8
 * writes them (usr/idbm.c: idbm_recinfo_node, idbm_recinfo_iface, idbm_recinfo_discovery; the
 * password_length keys are never written). The oracle tests check these lists against iscsiadm.
 */
public enum RecordKind {
    NODE(List.of(
            "node.name", "node.tpgt", "node.startup", "node.leading_login",
            "iface.hwaddress", "iface.ipaddress", "iface.iscsi_ifacename", "iface.net_ifacename",
            "iface.gateway", "iface.subnet_mask", "iface.prefix_len", "iface.transport_name",
            "iface.initiatorname", "iface.state", "iface.vlan_id", "iface.vlan_priority", "iface.vlan_state",
            "iface.iface_num", "iface.mtu", "iface.port",
            // IPv4 ifaces only
            "iface.bootproto", "iface.dhcp_alt_client_id_state", "iface.dhcp_alt_client_id", "iface.dhcp_dns",
            "iface.dhcp_learn_iqn", "iface.dhcp_req_vendor_id_state", "iface.dhcp_vendor_id_state",
            "iface.dhcp_vendor_id", "iface.dhcp_slp_da", "iface.fragmentation", "iface.gratuitous_arp",
            "iface.incoming_forwarding", "iface.tos_state", "iface.tos", "iface.ttl",
            // IPv6 ifaces only
            "iface.ipv6_autocfg", "iface.linklocal_autocfg", "iface.router_autocfg", "iface.ipv6_linklocal",
            "iface.ipv6_router", "iface.dup_addr_detect_cnt", "iface.flow_label", "iface.gratuitous_neighbor_adv",
            "iface.hop_limit", "iface.mld", "iface.nd_reachable_tmo", "iface.nd_rexmit_time", "iface.nd_stale_tmo",
            "iface.router_adv_link_mtu", "iface.traffic_class",
            "iface.delayed_ack", "iface.tcp_nagle", "iface.tcp_wsf_state", "iface.tcp_wsf", "iface.tcp_timer_scale",
            "iface.tcp_timestamp", "iface.redirect", "iface.def_task_mgmt_timeout", "iface.header_digest",
            "iface.data_digest", "iface.immediate_data", "iface.initial_r2t", "iface.data_seq_inorder",
            "iface.data_pdu_inorder", "iface.erl", "iface.max_receive_data_len", "iface.first_burst_len",
            "iface.max_outstanding_r2t", "iface.max_burst_len", "iface.chap_auth", "iface.bidi_chap",
            "iface.strict_login_compliance", "iface.discovery_auth", "iface.discovery_logout",
            "node.discovery_address", "node.discovery_port", "node.discovery_type",
            "node.session.initial_cmdsn", "node.session.initial_login_retry_max", "node.session.xmit_thread_priority",
            "node.session.cmds_max", "node.session.queue_depth", "node.session.nr_sessions",
            "node.session.auth.authmethod", "node.session.auth.username", "node.session.auth.password",
            "node.session.auth.username_in", "node.session.auth.password_in", "node.session.auth.chap_algs",
            "node.session.timeo.replacement_timeout", "node.session.err_timeo.abort_timeout",
            "node.session.err_timeo.lu_reset_timeout", "node.session.err_timeo.tgt_reset_timeout",
            "node.session.err_timeo.host_reset_timeout", "node.session.iscsi.FastAbort",
            "node.session.iscsi.InitialR2T", "node.session.iscsi.ImmediateData",
            "node.session.iscsi.FirstBurstLength", "node.session.iscsi.MaxBurstLength",
            "node.session.iscsi.DefaultTime2Retain", "node.session.iscsi.DefaultTime2Wait",
            "node.session.iscsi.MaxConnections", "node.session.iscsi.MaxOutstandingR2T", "node.session.iscsi.ERL",
            "node.session.scan", "node.session.reopen_max",
            "node.conn[0].address", "node.conn[0].port", "node.conn[0].startup", "node.conn[0].tcp.window_size",
            "node.conn[0].tcp.type_of_service", "node.conn[0].timeo.logout_timeout",
            "node.conn[0].timeo.login_timeout", "node.conn[0].timeo.auth_timeout",
            "node.conn[0].timeo.noop_out_interval", "node.conn[0].timeo.noop_out_timeout",
            "node.conn[0].iscsi.MaxXmitDataSegmentLength", "node.conn[0].iscsi.MaxRecvDataSegmentLength",
            "node.conn[0].iscsi.HeaderDigest", "node.conn[0].iscsi.DataDigest",
            "node.conn[0].iscsi.IFMarker", "node.conn[0].iscsi.OFMarker")),

    IFACE(List.of(
            "iface.iscsi_ifacename", "iface.net_ifacename", "iface.ipaddress", "iface.prefix_len", "iface.hwaddress",
            "iface.transport_name", "iface.initiatorname", "iface.state", "iface.vlan_id", "iface.vlan_priority",
            "iface.vlan_state", "iface.iface_num", "iface.mtu", "iface.port",
            // IPv4 ifaces only
            "iface.bootproto", "iface.subnet_mask", "iface.gateway", "iface.dhcp_alt_client_id_state",
            "iface.dhcp_alt_client_id", "iface.dhcp_dns", "iface.dhcp_learn_iqn", "iface.dhcp_req_vendor_id_state",
            "iface.dhcp_vendor_id_state", "iface.dhcp_vendor_id", "iface.dhcp_slp_da", "iface.fragmentation",
            "iface.gratuitous_arp", "iface.incoming_forwarding", "iface.tos_state", "iface.tos", "iface.ttl",
            // IPv6 ifaces only
            "iface.ipv6_autocfg", "iface.linklocal_autocfg", "iface.router_autocfg", "iface.ipv6_linklocal",
            "iface.ipv6_router", "iface.dup_addr_detect_cnt", "iface.flow_label", "iface.gratuitous_neighbor_adv",
            "iface.hop_limit", "iface.mld", "iface.nd_reachable_tmo", "iface.nd_rexmit_time", "iface.nd_stale_tmo",
            "iface.router_adv_link_mtu", "iface.traffic_class",
            "iface.delayed_ack", "iface.tcp_nagle", "iface.tcp_wsf_state", "iface.tcp_wsf", "iface.tcp_timer_scale",
            "iface.tcp_timestamp", "iface.redirect", "iface.def_task_mgmt_timeout", "iface.header_digest",
            "iface.data_digest", "iface.immediate_data", "iface.initial_r2t", "iface.data_seq_inorder",
            "iface.data_pdu_inorder", "iface.erl", "iface.max_receive_data_len", "iface.first_burst_len",
            "iface.max_outstanding_r2t", "iface.max_burst_len", "iface.chap_auth", "iface.bidi_chap",
            "iface.strict_login_compliance", "iface.discovery_auth", "iface.discovery_logout")),

    SENDTARGETS(List.of(
            "discovery.startup", "discovery.type", "discovery.sendtargets.address", "discovery.sendtargets.port",
            "discovery.sendtargets.auth.authmethod", "discovery.sendtargets.auth.username",
            "discovery.sendtargets.auth.password", "discovery.sendtargets.auth.username_in",
            "discovery.sendtargets.auth.password_in", "node.session.auth.chap_algs",
            "discovery.sendtargets.timeo.login_timeout", "discovery.sendtargets.use_discoveryd",
            "discovery.sendtargets.discoveryd_poll_inval", "discovery.sendtargets.reopen_max",
            "discovery.sendtargets.timeo.auth_timeout", "discovery.sendtargets.timeo.active_timeout",
            "discovery.sendtargets.iscsi.MaxRecvDataSegmentLength")),

    // open-iscsi keeps an iSNS server's address under the sendtargets keys
    ISNS(List.of(
            "discovery.startup", "discovery.type", "discovery.sendtargets.address", "discovery.sendtargets.port",
            "discovery.isns.use_discoveryd", "discovery.isns.discoveryd_poll_inval"));

    private final List<String> keys;
    private final Map<String, Integer> rank = new HashMap<>();

    RecordKind(List<String> keys) {
        this.keys = keys;
        for (int i = 0; i < keys.size(); i++) {
            rank.put(keys.get(i), i);
        }
    }

    /** The keys open-iscsi writes for this kind, in its order. */
    public List<String> keys() {
        return keys;
    }

    /** Whether open-iscsi 2.1.8 knows the key (its libopeniscsiusr rejects a whole file with one it does not). */
    public boolean knows(String key) {
        return rank.containsKey(key);
    }

    /** The key's place in open-iscsi's order, or -1 when it does not know it. */
    public int rank(String key) {
        Integer r = rank.get(key);
        return r == null ? -1 : r;
    }
}
