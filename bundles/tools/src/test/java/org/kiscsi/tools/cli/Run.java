package org.kiscsi.tools.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One tool run in this JVM: exit code, standard output and error. */
record Run(int code, String out, String err) {
    static Run of(Tool tool, Map<String, String> env, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = tool.execute(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8), env);
        return new Run(rc, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static Run of(Tool tool, String... args) {
        return of(tool, Map.of(), args);
    }

    static KiscsiDd dd() {
        return new KiscsiDd(new ByteArrayInputStream(new byte[0]));
    }

    /** {@code Key:value} lines, first occurrence of each key (values stripped). */
    static Map<String, String> fields(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int c = line.indexOf(':');
            if (c > 0) {
                m.putIfAbsent(line.substring(0, c).strip(), line.substring(c + 1).strip());
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
