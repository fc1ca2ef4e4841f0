package org.kiscsi.api.session;

import java.util.Optional;

import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where the session engine reads a node record again before it logs in anew to recover a session, so
 * that settings changed meanwhile (a CHAP secret, a timeout) apply. The daemon registers one backed by
 * its node store; without one, a session keeps the record it was logged in with.
 *
 * @since 1.2
 */
@ConsumerType
@FunctionalInterface
public interface NodeRecordSource {
    /** The record as it is now, or empty when it no longer exists (the session then keeps its own). */
    Optional<NodeRecord> node(NodeKey key);
}
