/**
 * The management protocol between the daemon and its clients ({@code bin/iscsiadm}, scripts): a
 * versioned, length-prefixed request/response frame over a local socket. Plain Java, usable
 * without OSGi.
 */
@Export
@Version("1.0.0")
package org.kiscsi.mgmt;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
