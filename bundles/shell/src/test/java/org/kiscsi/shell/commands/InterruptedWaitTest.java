package org.kiscsi.shell.commands;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C in Karaf's console interrupts the command's thread: a command waiting on the daemon stops
 * waiting at once and says the daemon goes on, however long the operation's own bound is.
 */
class InterruptedWaitTest {
    @Test
    void anInterruptEndsTheWaitAtOnceAndSaysTheDaemonGoesOn() throws Exception {
        CompletableFuture<String> never = new CompletableFuture<>();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread command = new Thread(() -> {
            try {
                IscsiCommandSupport.await(never, Duration.ofMinutes(10));
            } catch (Throwable t) {
                ended.set(t);
            }
        });
        command.start();
        Thread.sleep(200); // the command is waiting
        long start = System.nanoTime();
        command.interrupt();
        command.join(TimeUnit.SECONDS.toMillis(5));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(!command.isAlive() && ms < 2000, "the wait ended " + ms + " ms after the interrupt");
        assertTrue(ended.get() instanceof CommandException, String.valueOf(ended.get()));
        assertTrue(ended.get().getMessage().contains("goes on with the operation"), ended.get().getMessage());
        assertTrue(!never.isDone(), "the operation itself is not cancelled");
    }
}
