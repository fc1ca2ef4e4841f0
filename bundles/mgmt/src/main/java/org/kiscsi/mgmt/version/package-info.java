/**
 * The version of this kiscsi build. Plain Java; the launcher (not a bundle) carries a copy of this
 * package.
 */
@Export
@Version("1.0.0")
package org.kiscsi.mgmt.version;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
