package org.kiscsi.iscsid.internal.conf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * iscsid.conf as the daemon reads it (UTF-8 lines, as Files.readAllLines splits them): the defaults
 * it sets, or an {@link IscsidConfException} listing each bad line; nothing else. No message shows a
 * password's value.
 */
class IscsidConfFuzzTest {
    private static final Path FILE = Path.of("/etc/kiscsi/iscsid.conf");

    /** Input: the file's bytes (files that are not UTF-8 are refused before parsing). */
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(input)).toString();
        } catch (CharacterCodingException e) {
            return;
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            for (String l; (l = r.readLine()) != null;) {
                lines.add(l);
            }
        }
        try {
            IscsidConf conf = IscsidConfParser.parse(FILE, lines);
            for (ConfMessage m : conf.warnings()) {
                checkShown(m.toString(), lines);
            }
        } catch (IscsidConfException e) {
            if (e.errors().isEmpty()) {
                throw new AssertionError("refused without naming an error", e);
            }
            for (String error : e.errors()) {
                if (error == null || error.isBlank()) {
                    throw new AssertionError("an empty error in " + e.errors());
                }
                checkShown(error, lines);
            }
        }
    }

    /** No password value of the file in {@code message} (unless the file spells it out elsewhere too, say as a key). */
    private static void checkShown(String message, List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).toLowerCase(Locale.ROOT).contains("password")) {
                String value = line.substring(eq + 1).strip();
                List<String> others = new ArrayList<>(lines);
                others.set(i, line.substring(0, eq));
                if (value.length() >= 6 && message.contains(value) && !String.join("\n", others).contains(value)) {
                    throw new AssertionError("message shows a password: " + message);
                }
            }
        }
    }
}
