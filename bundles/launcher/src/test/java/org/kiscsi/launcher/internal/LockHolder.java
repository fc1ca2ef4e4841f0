package org.kiscsi.launcher.internal;

import java.nio.file.Path;

/**
 * Run in a second JVM by {@link ProcessLockTest}: takes the lock named by args[0], says
 * "LOCKED" (or "HELD message"), keeps it until its stdin closes, then releases it.
 */
public final class LockHolder {
    public static void main(String[] args) throws Exception {
        try (ProcessLock lock = ProcessLock.acquire(Path.of(args[0]), "pid file")) {
            System.out.println("LOCKED");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the test closes our stdin
            }
        } catch (ProcessLock.HeldException e) {
            System.out.println("HELD " + e.getMessage());
        }
    }
}
