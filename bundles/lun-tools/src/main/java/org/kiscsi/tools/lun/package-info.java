/**
 * What the LUN tools do on a logged-in session, whoever logged it in (the standalone tools' own engine,
 * or the daemon for the shell's {@code iscsi:lun-*} commands): listing ({@link org.kiscsi.tools.lun.LunListing}),
 * INQUIRY ({@link org.kiscsi.tools.lun.InquiryReport} over a {@link org.kiscsi.tools.lun.LunInquirer}),
 * READ CAPACITY ({@link org.kiscsi.tools.lun.CapacityReport}), copies ({@link org.kiscsi.tools.lun.LunCopy}
 * with dd's operands, {@link org.kiscsi.tools.lun.DdOperands}), persistent reservations
 * ({@link org.kiscsi.tools.lun.Reservations}), and reaching one LUN ({@link org.kiscsi.tools.lun.LunAccess}).
 * API and SCSI layer only. Blocking with bounded waits: code for the edges (tools, shell commands), never
 * for I/O threads.
 */
@Export
@Version("2.0.0")
package org.kiscsi.tools.lun;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
