/**
 * The iSER transport ({@code iser}, RFC 7145) as a plain Java library: construct an
 * {@link IserTransport} over a {@link org.kiscsi.transport.iser.verbs.Verbs} provider, connect
 * through it, close it when done. iSCSI control-type PDUs travel in RDMA Sends behind a 28-byte iSER
 * header; SCSI data moves by the target's RDMA Write (reads) and RDMA Read (writes) into and out of
 * the task's registered buffers. In Karaf the transport is registered as a
 * {@link org.kiscsi.spi.transport.TransportProvider} with {@code kiscsi.transport=iser} once a
 * {@code Verbs} service is there.
 */
@Export
@Version("1.1.0")
package org.kiscsi.transport.iser;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
