package org.kiscsi.api.manage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code iscsiadm -m daemon} shows: the daemon's state, identity, files and which providers
 * are present, as ordered {@code key = value} fields ({@code iscsid.state}, {@code iscsid.pid}, ...).
 */
public record DaemonStatus(Map<String, String> fields) {
    public DaemonStatus {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
