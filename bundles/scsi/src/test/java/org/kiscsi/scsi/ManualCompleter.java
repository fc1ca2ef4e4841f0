package org.kiscsi.scsi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** Holds completions until the test lets them run: shows which commands are in flight together. */
final class ManualCompleter implements Executor {
    private final List<Runnable> held = new ArrayList<>();

    @Override
    public synchronized void execute(Runnable r) {
        held.add(r);
    }

    /** Runs what is held now (completions may hold more; call again for those). */
    void runAll() {
        List<Runnable> now;
        synchronized (this) {
            now = new ArrayList<>(held);
            held.clear();
        }
        now.forEach(Runnable::run);
    }
}
