package org.kiscsi.store.file.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.kiscsi.api.node.Secrets;

/**
 * open-iscsi's record file format: {@code # BEGIN RECORD <version>}, one {@code key = value} per
 * line, {@code # END RECORD}. Lines are split as open-iscsi's idbm_recinfo_config splits them (name
 * up to blank or '=', blanks around '=', the value is the rest, trimmed); a key without a value is
 * unset, as there. Unlike open-iscsi, which drops what it cannot parse line by line, a file that is
 * not a whole record (no markers, a line without '=', text after the end marker, bytes that are not
 * UTF-8) is refused as a whole, so a truncated or corrupt record is never half-loaded.
 */
public final class RecordText {
    public static final String BEGIN = "# BEGIN RECORD";
    public static final String END = "# END RECORD";

    private RecordText() {
    }

    /** A record read from a file: the version on its BEGIN line and its values in file order. */
    public static final class Parsed {
        public final String version;
        public final Map<String, String> values;

        Parsed(String version, Map<String, String> values) {
            this.version = version;
            this.values = values;
        }
    }

    public static Parsed parse(String file, byte[] bytes) throws RecordFormatException {
        String text = decode(file, bytes);
        String[] lines = text.split("\n", -1);
        int lastText = 0;
        boolean hasEnd = false;
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                lastText = i + 1;
                hasEnd |= lines[i].strip().equals(END);
            }
        }
        if (lastText > 0 && !hasEnd) {
            throw new RecordFormatException(file, lastText, "truncated: no '" + END + "' line");
        }
        String version = null;
        boolean ended = false;
        int lastLine = 0;
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            lastLine = no;
            if (ended) {
                throw new RecordFormatException(file, no, "text after '" + END + "'");
            }
            if (version == null) {
                if (!line.startsWith(BEGIN)) {
                    throw new RecordFormatException(file, no, "expected '" + BEGIN + " <version>' as the first line");
                }
                version = line.substring(BEGIN.length()).strip();
                continue;
            }
            if (line.equals(END)) {
                ended = true;
            } else if (line.startsWith(BEGIN)) {
                throw new RecordFormatException(file, no, "a second '" + BEGIN + "' before '" + END + "'");
            } else if (!line.startsWith("#")) {
                parseLine(file, no, line, values);
            }
        }
        if (version == null) {
            throw new RecordFormatException(file, 1, "empty file, expected '" + BEGIN + " <version>'");
        }
        if (!ended) {
            throw new RecordFormatException(file, Math.max(lastLine, 1), "no '" + END + "' line");
        }
        return new Parsed(version, values);
    }

    private static String decode(String file, byte[] bytes) throws RecordFormatException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            int nul = text.indexOf('\0');
            if (nul >= 0) {
                throw new RecordFormatException(file, lineOf(text, nul), "NUL byte: not a text record");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new RecordFormatException(file, 1, "not UTF-8 text");
        }
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static void parseLine(String file, int no, String line, Map<String, String> values)
            throws RecordFormatException {
        int i = 0;
        while (i < line.length() && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != '=') {
            i++;
        }
        String key = line.substring(0, i);
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        if (key.isEmpty() || i >= line.length() || line.charAt(i) != '=') {
            throw new RecordFormatException(file, no, "expected 'key = value', found '" + shown(line) + "'");
        }
        String value = line.substring(i + 1).strip();
        if (!value.isEmpty()) {
            values.put(key, value);
        }
    }

    /** The line of {@code file} that sets the key an error message names, or 1. */
    public static int lineNaming(byte[] file, String message) {
        String[] lines = new String(file, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            int eq = l.indexOf('=');
            String key = eq > 0 ? l.substring(0, eq).strip() : "";
            if (!key.isEmpty() && !l.startsWith("#") && (message.contains(key + ":") || message.endsWith(" " + key))) {
                return i + 1;
            }
        }
        return 1;
    }

    /** The line as a message may quote it: a line that may hold a password shows its key only. */
    private static String shown(String line) {
        if (line.toLowerCase(Locale.ROOT).contains("password")) {
            int end = 0;
            while (end < line.length() && !Character.isWhitespace(line.charAt(end)) && line.charAt(end) != '=') {
                end++;
            }
            String key = line.substring(0, end);
            return key.toLowerCase(Locale.ROOT).contains("password") ? shorten(key) + " " + Secrets.MASK : Secrets.MASK;
        }
        return shorten(line);
    }

    private static String shorten(String line) {
        return line.length() > 60 ? line.substring(0, 60) + "..." : line;
    }

    /**
     * The file text of a record: the keys open-iscsi knows in open-iscsi's order; every other key
     * right after the key it followed in {@code values} (so a file a newer open-iscsi wrote keeps
     * its order); empty values left out, as open-iscsi leaves them out.
     */
    public static String format(String version, RecordKind kind, Map<String, String> values) {
        StringBuilder out = new StringBuilder(64 * (values.size() + 2));
        out.append(BEGIN).append(' ').append(version).append('\n');
        for (Map.Entry<String, String> e : arrange(kind, values)) {
            if (!e.getValue().isEmpty()) {
                out.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
            }
        }
        return out.append(END).append('\n').toString();
    }

    static List<Map.Entry<String, String>> arrange(RecordKind kind, Map<String, String> values) {
        List<Map.Entry<String, String>> head = new ArrayList<>();
        List<List<Map.Entry<String, String>>> byRank = new ArrayList<>();
        for (int i = 0; i < kind.keys().size(); i++) {
            byRank.add(null);
        }
        List<Map.Entry<String, String>> current = head;
        for (Map.Entry<String, String> e : values.entrySet()) {
            int r = kind.rank(e.getKey());
            if (r < 0) {
                current.add(e);
            } else {
                current = new ArrayList<>();
                current.add(e);
                byRank.set(r, current);
            }
        }
        List<Map.Entry<String, String>> out = new ArrayList<>(head);
        for (List<Map.Entry<String, String>> group : byRank) {
            if (group != null) {
                out.addAll(group);
            }
        }
        return out;
    }
}
