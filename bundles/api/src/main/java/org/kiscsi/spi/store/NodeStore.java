package org.kiscsi.spi.store;

import org.osgi.annotation.versioning.ConsumerType;

import java.util.List;
import java.util.Optional;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;

/**
 * Node, discovery and iface records. Calls are short, local and synchronous (never wait on the
 * network); implementations are safe for use from several threads, and file-backed ones from several
 * processes. A broken record is reported (name and line) and skipped; it never hides the others.
 */
@ConsumerType
public interface NodeStore extends AutoCloseable {
    /** All node records, sorted by target then portal then iface. */
    List<NodeRecord> nodes() throws NodeStoreException;

    /** The records of one target. */
    List<NodeRecord> nodes(IscsiName target) throws NodeStoreException;

    Optional<NodeRecord> node(NodeKey key) throws NodeStoreException;

    /** Creates or replaces the record with that key. */
    void putNode(NodeRecord record) throws NodeStoreException;

    /** @return whether there was such a record */
    boolean deleteNode(NodeKey key) throws NodeStoreException;

    List<DiscoveryRecord> discoveries() throws NodeStoreException;

    Optional<DiscoveryRecord> discovery(DiscoveryType type, Portal address) throws NodeStoreException;

    void putDiscovery(DiscoveryRecord record) throws NodeStoreException;

    boolean deleteDiscovery(DiscoveryType type, Portal address) throws NodeStoreException;

    List<IfaceRecord> ifaces() throws NodeStoreException;

    Optional<IfaceRecord> iface(String name) throws NodeStoreException;

    void putIface(IfaceRecord record) throws NodeStoreException;

    boolean deleteIface(String name) throws NodeStoreException;

    /** Problems found while reading records (file and line, what is wrong); empty when all is well. */
    List<String> problems();

    /** Releases what the store holds open; later calls fail. */
    @Override
    void close();
}
