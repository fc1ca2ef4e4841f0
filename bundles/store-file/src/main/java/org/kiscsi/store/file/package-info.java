/**
 * The node store in open-iscsi's own file layout and record format, so that kiscsi and iscsiadm
 * share one {@code /etc/iscsi} tree. {@link org.kiscsi.store.file.FileNodeStore} can be used
 * without OSGi; in OSGi the bundle registers it as the {@code kiscsi.store=file} provider.
 */
@Export
@Version("1.0.0")
package org.kiscsi.store.file;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
