package org.kiscsi.api.node;

import java.util.Objects;

/**
 * An iface record ({@code ifaces/<name>}): which transport a node is reached through and how
 * (source address, initiator name override, ...).
 */
public final class IfaceRecord {
    private final String name;
    private final RecordValues values;

    public IfaceRecord(String name, RecordValues values) {
        this.name = Objects.requireNonNull(name, "name");
        this.values = Objects.requireNonNull(values, "values");
    }

    public String name() {
        return name;
    }

    /** The transport this iface uses ({@code iface.transport_name}), {@code tcp} when unset. */
    public String transportName() {
        return values.get(NodeKeys.TRANSPORT_NAME, "tcp");
    }

    public RecordValues values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IfaceRecord && ((IfaceRecord) o).name.equals(name) && ((IfaceRecord) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, values);
    }

    @Override
    public String toString() {
        return "IfaceRecord[" + name + " " + values + "]";
    }
}
