/**
 * Transport SPI: opens a connection to a portal and moves iSCSI PDUs in order. A transport owns PDU buffer allocation so an RDMA transport can hand out registered memory.
 */
@Export
@Version("1.7.0")
package org.kiscsi.spi.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
