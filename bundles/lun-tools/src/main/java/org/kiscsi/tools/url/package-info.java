/**
 * libiscsi's URLs ({@code iscsi://[user[%password]@]host[:port]/target-iqn/lun}), their query arguments
 * and environment variables, and the secret sources that keep CHAP secrets off command lines. Plain Java;
 * exported so that the shell's commands can take the same URLs.
 */
@Export
@Version("1.0.0")
package org.kiscsi.tools.url;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
