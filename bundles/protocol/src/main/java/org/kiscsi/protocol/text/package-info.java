/**
 * Text keys (RFC 7143 section 13) as one catalogue with their merge rules, text encoding across continued PDUs, and the initiator's side of negotiation.
 */
@Export
@Version("1.1.0")
package org.kiscsi.protocol.text;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
