/**
 * RDMA verbs as the iSER transport uses them, behind an interface: a device, protection domains and
 * registered memory with STags, type 2 memory windows (bind, local invalidation), reliable-connected queue pairs (Send, Send with Invalidate, RDMA
 * Write, RDMA Read, posted receives), completion queues, and the connection manager's connect and
 * listen. Implemented by a binding of libibverbs/librdmacm and by the software provider in
 * {@code org.kiscsi.transport.iser.soft}. Every call returns without blocking.
 */
@Export
@Version("1.2.0")
package org.kiscsi.transport.iser.verbs;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
