package org.kiscsi.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.store.file.FileNodeStore;

/**
 * Two other JVMs write the same store while this one reads it: no record is lost, none is ever
 * read torn (the shared record's main and extra keys always come from the same write).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrentProcessesTest {
    private static final int COUNT = 40;

    @TempDir
    Path root;

    @Test
    void twoProcessesUpdatingRecordsLoseAndTearNothing() throws Exception {
        List<Process> writers = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try (FileNodeStore store = FileNodeStore.open(root)) {
            for (String w : List.of("w1", "w2")) {
                Path log = root.resolveSibling(root.getFileName() + "-" + w + ".log");
                logs.add(log);
                writers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), ConcurrentWriterMain.class.getName(),
                        root.toString(), w, Integer.toString(COUNT)).redirectErrorStream(true).redirectOutput(log.toFile()).start());
            }
            int reads = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (writers.stream().anyMatch(Process::isAlive)) {
                if (System.nanoTime() > deadline) {
                    fail("the writers did not finish in 90 s");
                }
                Optional<NodeRecord> shared = store.node(ConcurrentWriterMain.shared("w1", 0).key());
                if (shared.isPresent()) {
                    assertEquals(shared.get().values().get(NodeKeys.USERNAME), shared.get().values().get(ConcurrentWriterMain.OWN_KEY),
                            "a torn read of the shared record");
                    reads++;
                }
                assertEquals(List.of(), store.problems());
            }
            for (int i = 0; i < writers.size(); i++) {
                assertEquals(0, writers.get(i).waitFor(), () -> "writer failed: " + read(logs));
            }
            List<NodeRecord> all = store.nodes();
            assertEquals(2 * COUNT + 1, all.size());
            for (String w : List.of("w1", "w2")) {
                for (int i = 0; i < COUNT; i++) {
                    assertEquals(ConcurrentWriterMain.own(w, i), store.node(ConcurrentWriterMain.own(w, i).key()).orElseThrow());
                }
            }
            NodeRecord last = store.node(ConcurrentWriterMain.shared("w1", 0).key()).orElseThrow();
            String stamp = last.values().get(NodeKeys.USERNAME).orElseThrow();
            assertTrue(stamp.equals("w1-" + (COUNT - 1)) || stamp.equals("w2-" + (COUNT - 1)), stamp);
            assertEquals(List.of(), store.problems());
            assertEquals(List.of(), StoreLayout.list(root.resolve(".kiscsi/tmp")), "no temporary file is left");
            assertTrue(reads > 0);
        } finally {
            for (Process p : writers) {
                p.destroyForcibly();
            }
            for (Path log : logs) {
                Files.deleteIfExists(log);
            }
        }
    }

    private static String read(List<Path> logs) {
        StringBuilder b = new StringBuilder();
        for (Path l : logs) {
            try {
                b.append(Files.readString(l));
            } catch (java.io.IOException e) {
                b.append(e);
            }
        }
        return b.toString();
    }
}
