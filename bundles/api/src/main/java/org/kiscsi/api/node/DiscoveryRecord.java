package org.kiscsi.api.node;

import java.util.Objects;

import org.kiscsi.api.Portal;

/**
 * A discovery record: a SendTargets portal or an iSNS server and its settings, as open-iscsi keeps
 * them in {@code send_targets/<ip>,<port>/st_config} and {@code isns/<ip>,<port>/isns_config}.
 */
public final class DiscoveryRecord {
    private final DiscoveryType type;
    private final Portal address;
    private final RecordValues values;

    public DiscoveryRecord(DiscoveryType type, Portal address, RecordValues values) {
        this.type = Objects.requireNonNull(type, "type");
        this.address = Objects.requireNonNull(address, "address").withoutTpgt();
        this.values = Objects.requireNonNull(values, "values");
    }

    public DiscoveryType type() {
        return type;
    }

    /** The discovery portal or iSNS server (no TPGT). */
    public Portal address() {
        return address;
    }

    public RecordValues values() {
        return values;
    }

    public DiscoveryRecord with(String key, String value) {
        return new DiscoveryRecord(type, address, values.with(key, value));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DiscoveryRecord)) {
            return false;
        }
        DiscoveryRecord d = (DiscoveryRecord) o;
        return d.type == type && d.address.equals(address) && d.values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, address, values);
    }

    @Override
    public String toString() {
        return "DiscoveryRecord[" + type + " " + address.hostPort() + " " + values + "]";
    }
}
