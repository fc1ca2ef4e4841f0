package org.kiscsi.iscsid.internal.conf;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.RecordValues;

/**
 * Reads iscsid.conf in open-iscsi's format: one {@code key = value} per line, {@code #} starts a
 * comment line, blank lines are ignored, the value is the rest of the line (a {@code #} inside it is
 * part of it, as in open-iscsi: secrets may hold one). Keys open-iscsi ships that kiscsi does not
 * use get an informational line, unknown keys and older open-iscsi's {@code isns.address} and
 * {@code isns.port} (which 2.1.8 does not read either) a warning, and a malformed line or value is an error
 * naming file and line. Every error of the file is reported at once.
 */
public final class IscsidConfParser {
    private IscsidConfParser() {
    }

    /**
     * @throws IscsidConfException when a line or value is malformed, or the file cannot be read
     */
    public static IscsidConf parse(Path file) throws IscsidConfException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new IscsidConf(file, RecordValues.empty(), Map.of(), List.of(new ConfMessage(ConfMessage.Level.WARNING,
                    file + ": no such file; new records get kiscsi's built-in defaults")));
        } catch (CharacterCodingException e) {
            throw new IscsidConfException(List.of(file + ": not UTF-8 text"));
        } catch (IOException e) {
            throw new IscsidConfException(List.of(file + ": cannot be read: " + e));
        }
        return parse(file, lines);
    }

    /** Parses {@code lines} as the content of {@code file} (named in messages). */
    public static IscsidConf parse(Path file, List<String> lines) throws IscsidConfException {
        List<String> errors = new ArrayList<>();
        List<ConfMessage> messages = new ArrayList<>();
        Map<String, String> node = new LinkedHashMap<>();
        Map<DiscoveryType, Map<String, String>> discovery = new EnumMap<>(DiscoveryType.class);
        Map<String, Integer> seenAt = new HashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        Map<String, String> refusedValues = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = file + ":" + (i + 1);
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                errors.add(where + ": expected 'key = value'");
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
                errors.add(where + ": expected 'key = value', not a key with spaces or none at all");
                continue;
            }
            Integer earlier = seenAt.put(key, i + 1);
            if (earlier != null) {
                messages.add(warning(where + ": " + key + " was already set on line " + earlier + "; this later value wins"));
            }
            Optional<ConfKey> known = ConfKeys.find(key);
            if (known.isEmpty()) {
                messages.add(warning(where + ": unknown key " + key + " (ignored)"));
                continue;
            }
            ConfKey k = known.get();
            Optional<String> problem = k.rule().problem(value);
            if (problem.isPresent()) {
                errors.add(where + ": " + key + ": invalid value"
                        + (RecordValues.isSecret(key) ? "" : " '" + value + "'") + ": " + problem.get());
                continue;
            }
            switch (k.use()) {
                case NODE:
                    node.put(key, value);
                    break;
                case NODE_NOT_ACTED_ON:
                    node.put(key, value);
                    messages.add(new ConfMessage(ConfMessage.Level.INFO, where + ": " + key
                            + " is open-iscsi's; kiscsi writes it into new records but does not act on it"));
                    break;
                case DISCOVERY:
                    discovery.computeIfAbsent(k.discoveryType(), t -> new LinkedHashMap<>()).put(key, value);
                    break;
                case REFUSED:
                    refused.put(key, where);
                    refusedValues.put(key, value);
                    break;
                default:
                    messages.add(new ConfMessage(ConfMessage.Level.INFO,
                            where + ": " + key + " is open-iscsi's and has no use in kiscsi (accepted, ignored)"));
                    break;
            }
        }
        if (!errors.isEmpty()) {
            throw new IscsidConfException(errors);
        }
        refused.forEach((key, where) -> messages.add(warning(where + ": " + key + " is not read (ignored): open-iscsi 2.1.8 and"
                + " kiscsi keep an iSNS server as a discovery record: iscsiadm -m discoverydb -t isns -p "
                + refusedValues.getOrDefault(ConfKeys.ISNS_ADDRESS, "<address>") + ":"
                + refusedValues.getOrDefault(ConfKeys.ISNS_PORT, "3205") + " -o new, then -o update -n"
                + " discovery.isns.use_discoveryd -v Yes for the daemon to follow it")));
        Map<DiscoveryType, RecordValues> discoveryDefaults = new EnumMap<>(DiscoveryType.class);
        discovery.forEach((t, v) -> discoveryDefaults.put(t, RecordValues.of(v)));
        return new IscsidConf(file, RecordValues.of(node), discoveryDefaults, messages);
    }

    private static ConfMessage warning(String text) {
        return new ConfMessage(ConfMessage.Level.WARNING, text);
    }
}
