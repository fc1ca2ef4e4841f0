package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandTest {
    private static final Path SH = Path.of("/bin/sh");

    @Test
    void secretsAreMaskedInDescriptionOutputAndFailure() {
        Command c = Command.of(SH, List.of("-c", "echo user=$U pw=$P; echo \"$P\" >&2; exit 3"))
                .withEnv("U", "alice").withSecretEnv("P", "s3cretValue");
        assertEquals("U=alice P=*** sh -c 'echo user=$U pw=$P; echo \"$P\" >&2; exit 3'", c.toString());

        CommandResult r = Commands.run(c);
        assertEquals(3, r.exitCode());
        assertEquals("user=alice pw=***\n", r.stdout());
        assertEquals("***\n", r.stderr());
        PeerException e = assertThrows(PeerException.class, () -> Commands.check(c));
        assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("user=alice pw=***"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cretValue"), e.getMessage());
    }

    @Test
    void redactingMasksAnArgument() {
        Command c = Command.of(SH, List.of("-c", "true", "--password", "hunter2hunter2")).redacting("hunter2hunter2");
        assertFalse(c.toString().contains("hunter2"), c.toString());
        assertTrue(c.toString().endsWith("--password ***"), c.toString());
    }

    @Test
    void timeoutKillsTheProgramAndSaysSo() {
        long start = System.nanoTime();
        Command c = Command.of(SH, List.of("-c", "echo started; trap '' TERM; sleep 30")).withTimeout(Duration.ofMillis(300));
        PeerException e = assertThrows(PeerException.class, () -> Commands.run(c));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 5000, "took " + millis + " ms");
        assertTrue(e.getMessage().startsWith("timed out after 300 ms (killed)"), e.getMessage());
        assertTrue(e.getMessage().contains("started"), e.getMessage());
    }

    @Test
    void outputTailKeepsTheLastLines() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            b.append("line ").append(i).append('\n');
        }
        String tail = new CommandResult("x", 1, b.toString(), "", Duration.ZERO).outputTail();
        assertTrue(tail.startsWith("[... 15 lines]\nline 16\n"), tail);
        assertTrue(tail.endsWith("line 40"), tail);
    }
}
