/**
 * Exports of the daemon's LUNs to other programs (over NBD): which LUN of which node record's session
 * each serves, and where it is in its session's life.
 */
@Export
@Version("1.1.0")
package org.kiscsi.api.export;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
