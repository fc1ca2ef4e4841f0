/**
 * An in-memory transport: {@link org.kiscsi.testkit.loopback.LoopbackTransport} connects an
 * initiator to acceptors in the same JVM (the test target, an echo peer) through bounded byte
 * pipes framed as a TCP stream, with no socket, and lets tests cut the "network" or refuse
 * connections.
 */
@Export
@Version("1.0.0")
package org.kiscsi.testkit.loopback;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
