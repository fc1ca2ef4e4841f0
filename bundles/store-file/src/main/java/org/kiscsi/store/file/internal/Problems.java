package org.kiscsi.store.file.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The broken records last seen, one message per file ({@code file:line: what is wrong}). */
public final class Problems {
    private final Map<Path, String> byFile = new ConcurrentSkipListMap<>();

    public void found(Path file, String message) {
        byFile.put(file, message);
    }

    /** The file was read, rewritten or deleted: whatever was wrong with it is gone. */
    public void cleared(Path file) {
        byFile.remove(file);
    }

    /** Forgets the problems of files under {@code dir}, before rescanning it. */
    public void clearUnder(Path dir) {
        byFile.keySet().removeIf(p -> p.startsWith(dir));
    }

    public List<String> list() {
        return new ArrayList<>(byFile.values());
    }
}
