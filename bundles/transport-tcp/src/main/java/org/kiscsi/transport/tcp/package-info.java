/**
 * The TCP transport ({@code tcp}) as a plain Java library: construct a {@link TcpTransport}, connect
 * through it, close it when done. In Karaf the same transport is registered as a
 * {@link org.kiscsi.spi.transport.TransportProvider} service with {@code kiscsi.transport=tcp}.
 * Apache MINA does the I/O; no MINA type appears in this package.
 */
@Export
@Version("1.4.0")
package org.kiscsi.transport.tcp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
