/**
 * Core value types shared by callers and plug-ins: iSCSI names, portals, ISIDs and the error model.
 */
@Export
@Version("1.0.0")
package org.kiscsi.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
