/**
 * RFC 7143 (iSCSI) in pure Java: PDU layout and codec, CRC32C digests, serial number arithmetic,
 * the text key catalogue and negotiation, and the initiator's login state machine. No I/O: the
 * engine and the transports use it.
 */
@Export
@Version("1.0.0")
package org.kiscsi.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
