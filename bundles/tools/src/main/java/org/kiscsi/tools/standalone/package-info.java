/**
 * The plain-Java engine wired by hand for the standalone LUN tools (no Karaf, no daemon): TCP, CHAP,
 * SendTargets discovery and the LUN service ({@link org.kiscsi.tools.standalone.StandaloneInitiator}),
 * and kiscsi-ls's portal listing on it. The tools' library code on a session lives in the
 * {@code kiscsi-lun-tools} bundle ({@code org.kiscsi.tools.lun}, {@code org.kiscsi.tools.url}).
 */
@Export
@Version("1.0.0")
package org.kiscsi.tools.standalone;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
