package org.kiscsi.api.manage;

import java.util.List;

/**
 * A host as {@code iscsiadm -m host} shows one. open-iscsi's hosts are the kernel's SCSI hosts (one
 * per session for software iSCSI); kiscsi has no kernel SCSI host, so a host is one installed
 * transport instance, and its sessions are the sessions running over it.
 *
 * @param number a number stable while the daemon runs
 * @param transport the transport's name ({@code tcp}, {@code iser}, a vendor's)
 * @param ipAddress the local address its sessions use, or empty
 * @param hwAddress empty: a user-space transport has no hardware address of its own
 * @param netdev empty unless the transport is bound to a network device
 * @param initiatorName the initiator name its sessions log in with
 * @param sids its sessions
 */
public record HostInfo(int number, String transport, String ipAddress, String hwAddress, String netdev,
        String initiatorName, List<Long> sids) {
    public HostInfo {
        sids = List.copyOf(sids);
    }
}
