/**
 * The management protocol between the daemon and its clients ({@code bin/iscsiadm}, scripts): a
 * versioned, length-prefixed request/response frame over a local socket (see {@link org.kiscsi.mgmt.MgmtProtocol}),
 * the catalogue of typed operations, the client proxy {@link org.kiscsi.mgmt.RemoteManagement} and the daemon-side
 * {@link org.kiscsi.mgmt.ManagementEndpoint}. Plain Java, usable
 * without OSGi.
 */
@Export
@Version("3.0.0")
package org.kiscsi.mgmt;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
