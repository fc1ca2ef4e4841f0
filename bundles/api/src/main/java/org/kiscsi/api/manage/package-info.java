/**
 * The management service: every operation an admin front end offers (bin/iscsiadm over the
 * daemon's socket, the Karaf shell in-process), with typed results and typed errors. Front ends
 * parse and print; they decide nothing.
 */
@Export
@Version("2.2.0")
package org.kiscsi.api.manage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
