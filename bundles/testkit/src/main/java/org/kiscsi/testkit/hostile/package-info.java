/**
 * A hostile iSCSI target for tests of the initiator's defences: {@link org.kiscsi.testkit.hostile.HostileTarget}
 * replays a conversation recorded from a real target ({@link org.kiscsi.testkit.hostile.SeedConversation},
 * recorded with {@link org.kiscsi.testkit.hostile.SeedRecorder}) to whoever logs in, following the
 * initiator's tags and sequence numbers, and spoils one PDU of it as a
 * {@link org.kiscsi.testkit.hostile.Mutation} says: bits flipped in the BHS, wrong lengths, bad
 * opcodes and tags, truncated PDUs, bogus AHS, wrong digests, sequence number jumps, answers to tasks
 * that do not exist.
 */
@Export
@Version("1.2.0")
package org.kiscsi.testkit.hostile;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
