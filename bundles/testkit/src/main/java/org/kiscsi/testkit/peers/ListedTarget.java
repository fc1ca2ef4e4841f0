package org.kiscsi.testkit.peers;

import java.util.List;

/**
 * A target iscsi-ls found: {@code Target:<iqn> Portal:<host:port,tpgt>}, with its LUNs when
 * listed with {@code -s} (empty otherwise).
 */
public record ListedTarget(String iqn, String portal, List<Lun> luns) {
    /** {@code Lun:1    Type:DIRECT_ACCESS (Size:15M)}; {@code size} is iscsi-ls's rounded text, empty for LUN 0. */
    public record Lun(int lun, String type, String size) {
    }
}
