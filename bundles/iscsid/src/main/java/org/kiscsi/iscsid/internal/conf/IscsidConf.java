package org.kiscsi.iscsid.internal.conf;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.RecordValues;

/**
 * A parsed iscsid.conf: the defaults it gives new node and discovery records, and what parsing had
 * to say (unused and unknown keys). Secrets stay in {@link RecordValues}, whose toString masks them.
 *
 * @param file where it was read from
 * @param nodeDefaults values for new node records, in file order
 * @param discoveryDefaults values for new discovery records, per type
 * @param messages informational lines and warnings, each naming file and line
 */
public record IscsidConf(Path file, RecordValues nodeDefaults, Map<DiscoveryType, RecordValues> discoveryDefaults,
        List<ConfMessage> messages) {
    public IscsidConf {
        discoveryDefaults = Map.copyOf(discoveryDefaults);
        messages = List.copyOf(messages);
    }

    public RecordValues discoveryDefaults(DiscoveryType type) {
        return discoveryDefaults.getOrDefault(type, RecordValues.empty());
    }

    public List<ConfMessage> warnings() {
        return messages.stream().filter(m -> m.level() == ConfMessage.Level.WARNING).toList();
    }
}
