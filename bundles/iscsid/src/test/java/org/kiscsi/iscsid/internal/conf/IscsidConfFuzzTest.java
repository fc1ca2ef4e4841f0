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
    private static final String SECRET = "Zq7-secret-Vw3";

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
        for (String message : messages(lines)) {
            if (message == null || message.isBlank()) {
                throw new AssertionError("an empty error or warning");
            }
        }
        // the same file with every password replaced by one no other text holds: no message may show it
        if (!text.contains(SECRET)) {
            for (String message : messages(withSecret(lines))) {
                if (message.contains(SECRET)) {
                    throw new AssertionError("message shows a password: " + message);
                }
            }
        }
    }

    /** The warnings of a file that parses, or the errors of one that does not. */
    private static List<String> messages(List<String> lines) {
        try {
            return IscsidConfParser.parse(FILE, lines).warnings().stream().map(ConfMessage::toString).toList();
        } catch (IscsidConfException e) {
            if (e.errors().isEmpty()) {
                throw new AssertionError("refused without naming an error", e);
            }
            return e.errors();
        }
    }

    private static List<String> withSecret(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            boolean password = eq > 0 && line.substring(0, eq).toLowerCase(Locale.ROOT).contains("password");
            out.add(password ? line.substring(0, eq + 1) + " " + SECRET : line);
        }
        return out;
    }
}
