package org.kiscsi.api.node;

import java.util.Objects;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;

/**
 * A node record: everything kiscsi knows about reaching one target through one portal and iface,
 * as open-iscsi's {@code key = value} record file holds it. Immutable; {@link #with} returns a
 * changed copy. Identity ({@link #key()}) comes from {@code node.name}, {@code node.conn[0].address},
 * {@code node.conn[0].port}, {@code node.tpgt} and {@code iface.iscsi_ifacename}.
 */
public final class NodeRecord {
    private final NodeKey key;
    private final RecordValues values;

    private NodeRecord(NodeKey key, RecordValues values) {
        this.key = key;
        this.values = values;
    }

    /** A record from its values; the identity keys must be present and valid. */
    public static NodeRecord of(RecordValues values) {
        return new NodeRecord(keyOf(values), values);
    }

    /** A new record for {@code key}, its identity keys set, over {@code defaults} (e.g. from iscsid.conf). */
    public static NodeRecord create(NodeKey key, RecordValues defaults) {
        RecordValues v = RecordValues.empty()
                .with(NodeKeys.NAME, key.target().value())
                .with(NodeKeys.TPGT, Integer.toString(key.portal().tpgt()))
                .with(NodeKeys.ADDRESS, key.portal().address())
                .with(NodeKeys.PORT, Integer.toString(key.portal().port()))
                .with(NodeKeys.IFACE_NAME, key.iface())
                .withAll(defaults.without(NodeKeys.NAME).without(NodeKeys.TPGT).without(NodeKeys.ADDRESS)
                        .without(NodeKeys.PORT).without(NodeKeys.IFACE_NAME).asMap());
        return new NodeRecord(key, v);
    }

    private static NodeKey keyOf(RecordValues v) {
        String name = v.get(NodeKeys.NAME).orElseThrow(() -> missing(NodeKeys.NAME));
        String address = v.get(NodeKeys.ADDRESS).orElseThrow(() -> missing(NodeKeys.ADDRESS));
        int port = v.getInt(NodeKeys.PORT, Portal.DEFAULT_PORT);
        String tpgtText = v.get(NodeKeys.TPGT, "-1").trim();
        int tpgt;
        try {
            long t = Long.parseLong(tpgtText);
            tpgt = t == 4294967295L ? Portal.TPGT_UNKNOWN : Math.toIntExact(t);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IscsiException(IscsiError.INVAL, "record key " + NodeKeys.TPGT + ": '" + tpgtText + "' is not a TPGT");
        }
        return new NodeKey(IscsiName.of(name), Portal.of(address, port, tpgt), v.get(NodeKeys.IFACE_NAME, NodeKey.DEFAULT_IFACE));
    }

    private static IscsiException missing(String key) {
        return new IscsiException(IscsiError.INVAL, "node record has no " + key);
    }

    public NodeKey key() {
        return key;
    }

    public IscsiName target() {
        return key.target();
    }

    public Portal portal() {
        return key.portal();
    }

    public String iface() {
        return key.iface();
    }

    public RecordValues values() {
        return values;
    }

    /** A copy with one key changed; changing an identity key changes the copy's {@link #key()}. */
    public NodeRecord with(String k, String value) {
        return of(values.with(k, value));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeRecord && ((NodeRecord) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    /** The key and the values, secrets masked. */
    @Override
    public String toString() {
        return "NodeRecord[" + key + " " + values + "]";
    }
}
