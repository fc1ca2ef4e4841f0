package org.kiscsi.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The record format, as open-iscsi splits lines, and what makes a file not a record. */
class RecordTextTest {
    private static RecordText.Parsed parse(String text) throws RecordFormatException {
        return RecordText.parse("f", text.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(String text) {
        return assertThrows(RecordFormatException.class, () -> parse(text)).getMessage();
    }

    @Test
    void linesSplitAsOpenIscsiSplitsThem() throws Exception {
        RecordText.Parsed p = parse("# BEGIN RECORD 2.1.8\n  node.name=iqn.2026-11.a:b \nnode.startup   =   manual\n"
                + "# a comment\nnode.session.auth.username =\n\nnode.x = a = b\n# END RECORD\n\n");
        assertEquals("2.1.8", p.version);
        assertEquals(Map.of("node.name", "iqn.2026-11.a:b", "node.startup", "manual", "node.x", "a = b"), p.values);
    }

    @Test
    void whatIsNotAWholeRecordIsNamedByLine() {
        assertEquals("f:1: empty file, expected '# BEGIN RECORD <version>'", error(""));
        assertEquals("f:1: expected '# BEGIN RECORD <version>' as the first line", error("node.name = x\n# END RECORD\n"));
        assertEquals("f:2: truncated: no '# END RECORD' line", error("# BEGIN RECORD 2.1.8\nnode.name = x\n"));
        assertEquals("f:2: expected 'key = value', found 'node.name x'", error("# BEGIN RECORD 2.1.8\nnode.name x\n# END RECORD\n"));
        assertEquals("f:2: expected 'key = value', found 'node.session.auth.password ********'",
                error("# BEGIN RECORD 2.1.8\nnode.session.auth.password hunter2-secret\n# END RECORD\n"));
        assertEquals("f:2: expected 'key = value', found '********'",
                error("# BEGIN RECORD 2.1.8\nhunter2 password\n# END RECORD\n"));
        assertEquals("f:3: text after '# END RECORD'", error("# BEGIN RECORD 2.1.8\n# END RECORD\nnode.name = x\n"));
        assertEquals("f:1: not UTF-8 text", assertThrows(RecordFormatException.class,
                () -> RecordText.parse("f", new byte[] {(byte) 0xc3, (byte) 0x28})).getMessage());
    }

    @Test
    void formatPutsKnownKeysInOpenIscsisOrderAndUnknownOnesAfterTheirNeighbour() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("node.conn[0].port", "3260");
        v.put("vendor.after.port", "1");
        v.put("node.name", "iqn.2026-11.a:b");
        v.put("node.session.auth.username", "");
        v.put("node.tpgt", "1");
        assertEquals("# BEGIN RECORD 2.1.8\nnode.name = iqn.2026-11.a:b\nnode.tpgt = 1\nnode.conn[0].port = 3260\n"
                + "vendor.after.port = 1\n# END RECORD\n", RecordText.format("2.1.8", RecordKind.NODE, v));
    }
}
