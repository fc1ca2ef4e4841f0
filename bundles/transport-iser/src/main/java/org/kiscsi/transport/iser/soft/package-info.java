/**
 * A software verbs provider: reliable-connected queue pairs between devices of one
 * {@link SoftFabric} in this JVM, with RDMA's rules (receives posted ahead, receiver-not-ready
 * retries when none is, STag, bounds and access checks on RDMA Read and Write, invalidation,
 * completion queues, the error state flushing what is left). It lets the iSER transport and a
 * target run without RDMA hardware; a {@link SoftTap} sees every message, for a pcap.
 */
@Export
@Version("1.1.0")
package org.kiscsi.transport.iser.soft;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
