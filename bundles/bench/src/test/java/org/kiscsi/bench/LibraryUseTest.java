package org.kiscsi.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.BlockingBlockDevice;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.scsi.ScsiBlockDevice;
import org.kiscsi.testkit.target.TestTarget;
import org.kiscsi.transport.tcp.TcpTransport;

/** The README's "As a Java library" example, as written there, against the in-JVM test target. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LibraryUseTest {
    @Test
    void theReadmeExampleWorks() throws Exception {
        try (TestTarget target = TestTarget.start("iqn.2026-11.com.example:disk1", 2048)) {
            target.addLun(1, 2048);
            target.lun(1).resize(2048);
            byte[] first = new byte[512];
            first[0] = 42;
            // --- as in README.md (portal from the test target instead of 192.0.2.10)
            try (TcpTransport tcp = new TcpTransport();
                 IscsiEngine engine = IscsiEngine.builder().initiatorName("iqn.2026-11.com.example:app").transport(tcp).build()) {
                NodeRecord node = NodeRecord.create(new NodeKey(IscsiName.of("iqn.2026-11.com.example:disk1"),
                        target.portal(), null), RecordValues.empty());
                SessionInfo s = engine.login(node).toCompletableFuture().get(30, TimeUnit.SECONDS);
                BlockDevice disk = ScsiBlockDevice.open(engine.executor(s.sid()), 1).toCompletableFuture().get(30, TimeUnit.SECONDS);
                BlockingBlockDevice blocking = BlockingBlockDevice.of(disk, Duration.ofSeconds(30));
                ByteBuffer block = ByteBuffer.allocateDirect(disk.blockSize());
                // --- end of the example; check it did what it says
                blocking.write(0, ByteBuffer.wrap(first), false);
                blocking.read(0, block);
                byte[] got = new byte[512];
                block.duplicate().position(0).limit(512).get(got);
                assertArrayEquals(first, got);
                assertEquals(2048, disk.blockCount());
            }
        }
    }
}
