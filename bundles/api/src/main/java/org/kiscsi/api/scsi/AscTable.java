package org.kiscsi.api.scsi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Readable text of additional sense codes: the SPC-4 Annex D (T10 asc-num) assignments a block
 * initiator meets, kept in {@code asc-ascq.txt} beside this class. Codes not in it read "ASC 0xNN ASCQ
 * 0xNN"; ASC 0x40, 0x4D and 0x70 with any ASCQ name the ASCQ in the text, as SPC-4 assigns them.
 */
final class AscTable {
    private static final String RESOURCE = "asc-ascq.txt";
    private static final Map<Integer, String> TEXT = load();

    private AscTable() {
    }

    /** The text of ASC/ASCQ, e.g. "LOGICAL BLOCK ADDRESS OUT OF RANGE" for 0x21/0x00. */
    static String describe(int asc, int ascq) {
        String t = TEXT.get((asc & 0xFF) << 8 | (ascq & 0xFF));
        if (t != null) {
            return t;
        }
        return switch (asc) {
            case 0x40 -> ascq == 0 ? "RAM FAILURE" : String.format("DIAGNOSTIC FAILURE ON COMPONENT 0x%02X", ascq);
            case 0x4D -> String.format("TAGGED OVERLAPPED COMMANDS (TASK TAG 0x%02X)", ascq);
            case 0x70 -> String.format("DECOMPRESSION EXCEPTION SHORT ALGORITHM ID OF 0x%02X", ascq);
            default -> String.format("ASC 0x%02X ASCQ 0x%02X", asc, ascq);
        };
    }

    /**
     * The ASC/ASCQ ({@code asc << 8 | ascq}) whose text is {@code text} exactly, e.g. 0x3F0E for "REPORTED
     * LUNS DATA HAS CHANGED" (how the session engine names a rescan's reason); empty for a text not in the table.
     */
    static OptionalInt code(String text) {
        for (Map.Entry<Integer, String> e : TEXT.entrySet()) {
            if (e.getValue().equals(text)) {
                return OptionalInt.of(e.getKey());
            }
        }
        return OptionalInt.empty();
    }

    /** Whether the table has a text of its own for ASC/ASCQ. */
    static boolean knows(int asc, int ascq) {
        return TEXT.containsKey((asc & 0xFF) << 8 | (ascq & 0xFF));
    }

    /** Lines "AA QQ TEXT" (hex codes); '#' starts a comment. */
    private static Map<Integer, String> load() {
        Map<Integer, String> m = new HashMap<>();
        try (InputStream in = AscTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + AscTable.class.getName());
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null;) {
                lineNo++;
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\s+", 3);
                if (f.length < 3) {
                    throw new IllegalStateException(RESOURCE + ":" + lineNo + ": expected \"AA QQ TEXT\", got \"" + line + "\"");
                }
                int code = Integer.parseInt(f[0], 16) << 8 | Integer.parseInt(f[1], 16);
                if (m.put(code, f[2]) != null) {
                    throw new IllegalStateException(RESOURCE + ":" + lineNo + ": " + f[0] + "/" + f[1] + " listed twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
        return Map.copyOf(m);
    }
}
