package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The secret scenario with every logger at TRACE, in a JVM of its own: nothing it writes, log lines
 * included, holds a secret in any form.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecretsNotInTraceLogsTest {
    @Test
    void traceLogsHoldNoSecret() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", classPath, TraceLogProbe.class.getName()))
                .redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), out), "trace probe output");
        reader.start();
        boolean ended = p.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        reader.join(5000);
        String all = out.toString(StandardCharsets.UTF_8);
        assertTrue(ended, "the probe did not end in time:\n" + all);
        assertEquals(0, p.exitValue(), all);
        assertTrue(all.contains(TraceLogProbe.DONE), all);
        assertTrue(all.contains("TRACE org.kiscsi.engine.TraceLogProbe"), "TRACE lines are printed:\n" + all);
        assertTrue(all.contains("logged in, sid"), "the engine's own lines are in it:\n" + all);
        assertEquals(Map.of(), SecretScenario.leaks("trace output", all), all);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
