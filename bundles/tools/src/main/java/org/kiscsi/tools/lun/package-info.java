/**
 * What the LUN tools do, over an open session or a URL: listing ({@link org.kiscsi.tools.lun.LunListing}),
 * INQUIRY ({@link org.kiscsi.tools.lun.InquiryReport} over a {@link org.kiscsi.tools.lun.LunInquirer}),
 * READ CAPACITY ({@link org.kiscsi.tools.lun.CapacityReport}), copies ({@link org.kiscsi.tools.lun.LunCopy}),
 * persistent reservations ({@link org.kiscsi.tools.lun.Reservations}), and the engine wired by hand for
 * the standalone tools ({@link org.kiscsi.tools.lun.StandaloneInitiator}). Blocking with bounded waits:
 * code for the edges (tools, shell commands), never for I/O threads.
 */
@Export
@Version("1.0.0")
package org.kiscsi.tools.lun;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
