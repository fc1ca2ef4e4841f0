/**
 * SCSI as kiscsi speaks it, with no iSCSI in it (like libiscsi's scsi-lowlevel): CDB builders
 * ({@link org.kiscsi.scsi.BlockCdbs}, {@link org.kiscsi.scsi.PrimaryCdbs}), parsers of data-in into the
 * API's value types, LUN addressing, and the {@link org.kiscsi.scsi.ScsiBlockDevice} and
 * {@link org.kiscsi.scsi.SessionLunService} that talk to targets only through
 * {@link org.kiscsi.api.scsi.ScsiTaskExecutor}. Usable as a plain Java library. Sense data is decoded
 * by the API's {@link org.kiscsi.api.scsi.Sense#decode}, so the session engine can share it.
 */
@Export
@Version("2.1.0")
package org.kiscsi.scsi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
