package org.kiscsi.api.manage;

/**
 * Which discovery record a discovery runs with: its address, CHAP and timeouts.
 */
public enum DiscoverySettings {
    /**
     * iscsid.conf's discovery defaults for the address, written over any stored record unless the
     * discovery is nonpersistent ({@code iscsiadm -m discovery -t st -p ...}, 2.1.8's
     * {@code exec_disc_op}).
     */
    ISCSID_CONF,
    /**
     * The stored discovery record; when there is none, iscsid.conf's defaults, stored unless the
     * discovery is nonpersistent ({@code -m discoverydb ... --discover}, and {@code -m discovery -p ...
     * --discover} without {@code -t}, 2.1.8's {@code exec_discover}).
     */
    STORED
}
