/**
 * An NBD server over kiscsi's block API: {@link org.kiscsi.export.nbd.NbdServer} serves named
 * {@link org.kiscsi.export.nbd.NbdExport}s (each a {@link org.kiscsi.api.scsi.BlockDevice}) on Unix sockets
 * and TCP, speaking the fixed newstyle handshake and the transmission phase of the NBD protocol
 * (NetworkBlockDevice/nbd doc/proto.md). Non-blocking: one selector thread per server, device
 * completions hand their replies back to it. Usable as a plain Java library (bin/kiscsi-nbd does).
 */
@Export
@Version("1.1.0")
package org.kiscsi.export.nbd;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
