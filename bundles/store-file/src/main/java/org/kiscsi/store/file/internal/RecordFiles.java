package org.kiscsi.store.file.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.kiscsi.spi.store.NodeStoreException;

/**
 * Reads and writes one record: its open-iscsi file and, beside it in {@code .kiscsi/extra}, the keys
 * open-iscsi does not know. They cannot go into the open-iscsi file: iscsiadm 2.1.8 (through
 * libopeniscsiusr) refuses a file with a key it does not know, and with it the whole {@code -m node}
 * listing. A key the open-iscsi file already holds stays there (a newer open-iscsi wrote it).
 */
public final class RecordFiles {
    private final StoreLayout layout;
    private final AtomicFiles atomic;
    private final String version;

    public RecordFiles(StoreLayout layout, AtomicFiles atomic, String version) {
        this.layout = layout;
        this.atomic = atomic;
        this.version = version;
    }

    /**
     * The values of the record at {@code main} (its extra keys after its own), or empty when there
     * is no such file.
     *
     * @throws RecordFormatException when the file (or its extra file) is not a whole record
     */
    public Optional<Map<String, String>> read(Path main) throws RecordFormatException, IOException {
        Optional<RecordText.Parsed> parsed = parse(main);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>(parsed.get().values);
        Optional<RecordText.Parsed> extra = parse(layout.extraOf(main));
        extra.ifPresent(e -> e.values.forEach(values::putIfAbsent));
        return Optional.of(values);
    }

    private static Optional<RecordText.Parsed> parse(Path file) throws RecordFormatException, IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted meanwhile
        }
        return Optional.of(RecordText.parse(file.toString(), bytes));
    }

    /** Writes the record at {@code main} (call under the store lock). */
    public void write(Path main, RecordKind kind, Map<String, String> values) throws IOException {
        check(main, values);
        Set<String> inMain = Set.of();
        try {
            inMain = parse(main).map(p -> p.values.keySet()).orElse(Set.of());
        } catch (RecordFormatException e) {
            // the old file is broken: it is being replaced, its keys do not matter
        }
        Map<String, String> own = new LinkedHashMap<>();
        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            (kind.knows(e.getKey()) || inMain.contains(e.getKey()) ? own : extra).put(e.getKey(), e.getValue());
        }
        Path extraFile = layout.extraOf(main);
        if (extra.isEmpty()) {
            Files.deleteIfExists(extraFile);
        } else {
            atomic.write(extraFile, RecordText.format(version, kind, extra).getBytes(StandardCharsets.UTF_8));
        }
        atomic.write(main, RecordText.format(version, kind, own).getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes the record at {@code main} and its extra keys; whether it was there (call under the lock). */
    public boolean delete(Path main) throws IOException {
        boolean was = Files.deleteIfExists(main);
        Path extraFile = layout.extraOf(main);
        Files.deleteIfExists(extraFile);
        removeEmptyParents(extraFile.getParent(), layout.privateDir());
        return was;
    }

    private static void removeEmptyParents(Path dir, Path stop) {
        for (Path d = dir; d != null && d.startsWith(stop) && !d.equals(stop); d = d.getParent()) {
            AtomicFiles.removeIfEmpty(d);
            if (Files.exists(d)) {
                return;
            }
        }
    }

    /** What the file format can hold: a key must not read as a comment, a value must stay one line as it is. */
    private static void check(Path main, Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k.startsWith("#")) {
                throw new NodeStoreException(main + ": key '" + k + "' would read as a comment");
            }
            if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\0') >= 0) {
                throw new NodeStoreException(main + ": the value of " + k + " holds a line break or NUL, which a record file cannot keep");
            }
            if (!v.equals(v.strip())) {
                throw new NodeStoreException(main + ": the value of " + k + " starts or ends with blanks, which a record file does not keep");
            }
        }
    }
}
