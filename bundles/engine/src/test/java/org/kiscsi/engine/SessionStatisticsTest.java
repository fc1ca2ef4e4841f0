package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.engine.LoopbackFixture.await;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionStatistics;
import org.kiscsi.protocol.Opcode;
import org.kiscsi.protocol.pdu.InitiatorPdu;

/** {@code iscsiadm -m session -s}: the engine's PDU and byte counters against the loopback test target. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionStatisticsTest {
    @Test
    void countersMatchWhatWasSentAndReceived() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture()) {
            SessionInfo s = await(f.engine.login(f.record()));
            SessionStatistics before = f.engine.statistics(s.sid());
            assertTrue(before.loginPdus() >= 1, before.toString());
            assertEquals(0, before.scsiCommandPdus());
            ScsiTaskExecutor x = f.engine.executor(s.sid());
            int reads = 7;
            int blocks = 8;
            for (int i = 0; i < reads; i++) {
                ByteBuffer in = ByteBuffer.allocate(blocks * 512);
                assertEquals(0, await(LoopbackFixture.read(x, i * blocks, in)).status());
            }
            int writes = 3;
            for (int i = 0; i < writes; i++) {
                assertEquals(0, await(LoopbackFixture.write(x, 100 + i * blocks, LoopbackFixture.pattern(blocks, i))).status());
            }
            SessionStatistics st = f.engine.statistics(s.sid());
            assertEquals(reads + writes, st.scsiCommandPdus());
            assertEquals((long) reads * blocks * 512, st.rxDataOctets(), "Data-In bytes");
            assertEquals((long) writes * blocks * 512, st.txDataOctets(), "immediate data and Data-Out bytes");
            assertTrue(st.dataInPdus() >= reads, st.toString());
            assertTrue(st.scsiResponsePdus() <= reads + writes, st.toString());
            assertEquals(0, st.digestErrors());
            assertEquals(0, st.timeoutErrors());
            assertEquals(0, st.rejectPdus());
            // what was sent is exactly what the target received, opcode by opcode
            Map<Opcode, Long> seen = f.target.received().stream()
                    .collect(Collectors.groupingBy(InitiatorPdu::opcode, Collectors.counting()));
            assertEquals(seen.getOrDefault(Opcode.SCSI_COMMAND, 0L), st.scsiCommandPdus());
            assertEquals(seen.getOrDefault(Opcode.DATA_OUT, 0L), st.dataOutPdus());
            assertEquals(seen.getOrDefault(Opcode.LOGIN_REQUEST, 0L), st.loginPdus());
            assertEquals(seen.getOrDefault(Opcode.NOP_OUT, 0L), st.nopOutPdus());
            assertEquals(seen.getOrDefault(Opcode.TEXT_REQUEST, 0L), st.textPdus());
            await(f.engine.logout(s.sid()));
            assertEquals(IscsiError.SESS_NOT_FOUND, assertThrows(IscsiException.class, () -> f.engine.statistics(s.sid())).error());
        }
    }
}
