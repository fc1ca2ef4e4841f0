/**
 * What a discovery found, applied to the node database as iscsiadm's discovery operations apply it
 * ({@code -o new|update|delete|nonpersistent}): plain logic over a {@link org.kiscsi.spi.store.NodeStore},
 * shared by the daemon's discovery daemon, its management service and plain-Java tools.
 */
@Export
@Version("1.1.0")
package org.kiscsi.api.discovery;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
