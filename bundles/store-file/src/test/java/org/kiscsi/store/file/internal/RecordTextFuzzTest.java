package org.kiscsi.store.file.internal;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;

/**
 * A node record file as the store reads it (open-iscsi's "# BEGIN RECORD" ... "# END RECORD" text,
 * then the record its values make): a record, or a {@link RecordFormatException} naming file and
 * line, or an {@link IscsiException} naming the bad value; nothing else. What parses is written back
 * to a file that parses to the same values.
 */
class RecordTextFuzzTest {
    /** Input: the file's bytes. */
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        RecordText.Parsed parsed;
        try {
            parsed = RecordText.parse("fuzz/node", input);
        } catch (RecordFormatException e) {
            clearMessage(e);
            return;
        }
        String text = RecordText.format(parsed.version, RecordKind.NODE, parsed.values);
        try {
            RecordText.Parsed again = RecordText.parse("fuzz/rewritten", text.getBytes(StandardCharsets.UTF_8));
            if (!again.values.equals(parsed.values) || !again.version.equals(parsed.version)) {
                throw new AssertionError("read " + parsed.values + ", wrote it back, read " + again.values);
            }
        } catch (RecordFormatException e) {
            throw new AssertionError("a record read from a file cannot be read back after writing it: " + text, e);
        }
        try {
            NodeRecord r = NodeRecord.of(RecordValues.of(parsed.values));
            if (r.key() == null || r.portal() == null) {
                throw new AssertionError("record without its identity: " + parsed.values);
            }
        } catch (IscsiException e) {
            clearMessage(e);
        }
    }

    private static void clearMessage(Exception e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("refusal without a message", e);
        }
    }
}
