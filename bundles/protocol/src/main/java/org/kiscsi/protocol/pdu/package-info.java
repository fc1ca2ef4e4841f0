/**
 * PDUs as values: the BHS layout, one record per PDU type, and the codec that turns framed bytes into them and back (data segments are never copied).
 */
@Export
@Version("1.1.0")
package org.kiscsi.protocol.pdu;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
