package org.kiscsi.testkit.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where peers write their own stdout/stderr. Logs outlive the peer (they are what a failure
 * message points to): system property {@code kiscsi.peers.logs}, else {@code target/peer-logs}
 * of the module under test (Maven runs tests with the module as working directory), else
 * {@code $TMPDIR/kiscsi-peer-logs}.
 */
public final class PeerLogs {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HHmmss");

    private PeerLogs() {
    }

    public static Path directory() {
        String configured = System.getProperty("kiscsi.peers.logs");
        Path dir;
        if (configured != null && !configured.isBlank()) {
            dir = Path.of(configured);
        } else if (Files.isDirectory(Path.of("target"))) {
            dir = Path.of("target", "peer-logs");
        } else {
            dir = Path.of(System.getProperty("java.io.tmpdir"), "kiscsi-peer-logs");
        }
        try {
            return Files.createDirectories(dir).toAbsolutePath();
        } catch (IOException e) {
            throw new PeerException("cannot create the peer log directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A new, not yet existing log file named after the peer: {@code tgtd-40123-154501-3.log}. */
    public static Path newLogFile(String name) {
        return directory().resolve(name + "-" + LocalDateTime.now().format(STAMP) + "-" + ProcessHandle.current().pid()
                + "-" + SEQ.incrementAndGet() + ".log");
    }
}
