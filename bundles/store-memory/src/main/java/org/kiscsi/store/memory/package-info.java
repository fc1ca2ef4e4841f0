/** A node store kept in memory: for tests, and for applications embedding kiscsi without files. */
@Export
@Version("1.0.0")
package org.kiscsi.store.memory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
