/**
 * SCSI on top of sessions: the task executor a session provides and the block-device API over LUNs. Nothing here knows about iSCSI.
 */
@Export
@Version("1.5.0")
package org.kiscsi.api.scsi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
