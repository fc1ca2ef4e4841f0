/**
 * A fault-injecting TCP proxy that sits between an initiator and an iSCSI target on loopback, for
 * tests of the initiator's error recovery. It follows the iSCSI framing in both directions (digests
 * included, as negotiated at login), records what passes, and on request cuts connections at a
 * chosen PDU, stalls traffic, corrupts a data segment behind its digest, or plays a dead target.
 * <pre>{@code
 * try (TestTarget target = TestTarget.start("iqn.2026-11.org.kiscsi.test:disk", 1024);
 *      FaultProxy proxy = FaultProxy.start(target.portal())) {
 *     proxy.cutOnNext(FaultProxy.Direction.TO_TARGET, Opcode.SCSI_COMMAND, 2);
 *     // ... log in to proxy.portal(), send commands, check the initiator's recovery ...
 *     List<LoginSeen> logins = proxy.logins(); // the reinstatement's ISID and TSIH
 * }
 * }</pre>
 */
@Export
@Version("1.1.0")
package org.kiscsi.testkit.proxy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
