/**
 * Real third-party peers for kiscsi's integration tests: {@link org.kiscsi.testkit.peers.Tgtd}
 * (the Linux SCSI target framework as target), {@link org.kiscsi.testkit.peers.LibiscsiTools}
 * (libiscsi's command-line tools as reference initiator), {@link org.kiscsi.testkit.peers.Tshark}
 * (PDUs on the wire), {@link org.kiscsi.testkit.peers.QemuImg} (QEMU's libiscsi driver) and
 * {@link org.kiscsi.testkit.peers.Isnsd} (open-isns); and targets that fail on purpose:
 * {@link org.kiscsi.testkit.peers.SilentListener} (accepts, never answers) and
 * {@link org.kiscsi.testkit.peers.DroppingPortal} (SYNs dropped in a network namespace of the test's own).
 * <p>
 * Every peer listens on loopback only, on a free port, with its files in a directory of its own,
 * so several can run at once and next to a system tgtd on 3260. Every command and every wait is
 * bounded ({@link org.kiscsi.testkit.peers.Commands}); daemons are {@link java.lang.AutoCloseable}
 * and a JVM shutdown hook kills whatever a crashed test left behind. A missing tool fails with
 * the Debian package to install ({@link org.kiscsi.testkit.peers.Tool}). CHAP secrets travel in
 * environment variables, never on a command line, and are masked in every message.
 * <pre>{@code
 * try (Tgtd tgtd = Tgtd.start(Loopback.IPV4)) {
 *     TgtTarget t = tgtd.createTarget("iqn.2026-11.org.kiscsi.test:disk");
 *     t.addLun(1, LunBacking.file(64 << 20).blockSize(4096));
 *     t.allowAll();
 *     ChapCredentials alice = new ChapCredentials("alice", "aliceSecret12");
 *     t.requireChap(alice);
 *     try (TsharkCapture capture = Tshark.capture(tgtd.port())) {
 *         // ... log in with kiscsi to tgtd.portal() ...
 *         List<String> problems = Tshark.initiatorSideProblems(capture.stop(), tgtd.port());
 *     }
 *     ReadCapacity c = LibiscsiTools.create().readCapacity16(t.url(1).withChap(alice));
 * }
 * }</pre>
 * Daemon logs stay in {@code target/peer-logs} (see {@link org.kiscsi.testkit.peers.PeerLogs}).
 */
@Export
@Version("1.1.0")
package org.kiscsi.testkit.peers;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
