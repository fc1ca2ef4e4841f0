package org.kiscsi.store.file.internal;

import java.io.IOException;
import java.nio.file.Files;
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

    /**
     * {@code file} could not be read as a record: a format error names its line already, a value
     * the API refuses ({@link org.kiscsi.api.IscsiException}) is put at the line that sets the key
     * its message names, an I/O error at line 1.
     */
    public void unreadable(Path file, Exception e) {
        if (e instanceof RecordFormatException) {
            found(file, e.getMessage());
        } else if (e instanceof IOException) {
            found(file, file + ":1: cannot read: " + e);
        } else {
            found(file, file + ":" + lineNaming(file, e.getMessage()) + ": " + e.getMessage());
        }
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

    private static int lineNaming(Path file, String message) {
        try {
            return RecordText.lineNaming(Files.readAllBytes(file), message);
        } catch (IOException e) {
            return 1;
        }
    }
}
