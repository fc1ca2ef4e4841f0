package org.kiscsi.testkit.hostile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * PDUs exchanged between an initiator and a target, in the order a proxy between them saw them,
 * without digests or padding. The text form has one PDU a line:
 * {@code I|T <connection> <header hex> <data hex or ->}, comment lines start with {@code #}.
 */
public final class SeedConversation {
    /** One PDU: who sent it, on which connection (from 0), its BHS and AHS, its data segment. */
    public record Event(boolean fromInitiator, int connection, byte[] header, byte[] data) {
        public int opcodeBits() {
            return header[0] & 0x3F;
        }
    }

    private static final HexFormat HEX = HexFormat.of();
    private final List<Event> events;

    public SeedConversation(List<Event> events) {
        this.events = List.copyOf(events);
    }

    public List<Event> events() {
        return events;
    }

    /** The conversation in a class path resource of {@code owner}'s class loader. */
    public static SeedConversation resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no seed conversation " + name + " next to " + owner.getName());
            }
            return read(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException("reading seed conversation " + name, e);
        }
    }

    /** Parses the text form; {@code source} names it in messages. */
    public static SeedConversation read(InputStream in, String source) throws IOException {
        List<Event> out = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split(" ");
            if (f.length != 4 || !(f[0].equals("I") || f[0].equals("T"))) {
                throw new IOException(source + " line " + n + ": expected 'I|T <connection> <header hex> <data hex|->'");
            }
            try {
                byte[] header = HEX.parseHex(f[2]);
                if (header.length < 48) {
                    throw new IOException(source + " line " + n + ": a header of " + header.length + " bytes, under 48");
                }
                out.add(new Event(f[0].equals("I"), Integer.parseInt(f[1]), header, f[3].equals("-") ? new byte[0] : HEX.parseHex(f[3])));
            } catch (IllegalArgumentException e) {
                throw new IOException(source + " line " + n + ": " + e.getMessage(), e);
            }
        }
        return new SeedConversation(out);
    }

    /** Writes the text form, after {@code comment} lines. */
    public void write(Writer w, List<String> comment) throws IOException {
        for (String c : comment) {
            w.write("# " + c + "\n");
        }
        for (Event e : events) {
            w.write((e.fromInitiator() ? "I " : "T ") + e.connection() + " " + HEX.formatHex(e.header()) + " "
                    + (e.data().length == 0 ? "-" : HEX.formatHex(e.data())) + "\n");
        }
    }
}
