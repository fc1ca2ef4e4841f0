package org.kiscsi.iscsid.internal.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiName;

/**
 * Reads an initiatorname file as iscsid does: {@code InitiatorName=<iSCSI name>} and an optional
 * {@code InitiatorAlias=<text>}, {@code #} comment lines, other lines ignored. A missing file, a
 * missing name or an invalid one give a warning that names the file and says logins and discovery
 * may fail; reading never fails.
 */
public final class InitiatorNameFile {
    static final String NAME_KEY = "InitiatorName";
    static final String ALIAS_KEY = "InitiatorAlias";
    private static final String CONSEQUENCE = ": logins and discovery may fail until it holds a line "
            + "InitiatorName=iqn.yyyy-mm.<reversed domain name>[:identifier] (bin/iscsi-iname makes one)";

    private InitiatorNameFile() {
    }

    /** @param hostName the alias when the file gives none (iscsid uses uname's node name) */
    public static InitiatorIdentity read(Path file, Supplier<String> hostName) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new InitiatorIdentity(file, Optional.empty(), hostName.get(),
                    List.of("initiator name file " + file + " does not exist" + CONSEQUENCE));
        } catch (IOException e) {
            return new InitiatorIdentity(file, Optional.empty(), hostName.get(),
                    List.of("initiator name file " + file + " cannot be read (" + e + ")" + CONSEQUENCE));
        }
        return parse(file, lines, hostName);
    }

    static InitiatorIdentity parse(Path file, List<String> lines, Supplier<String> hostName) {
        List<String> warnings = new ArrayList<>();
        String name = null;
        int nameLine = 0;
        String alias = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.equals(NAME_KEY)) {
                if (name != null) {
                    warnings.add("initiator name file " + file + " line " + (i + 1) + ": a second InitiatorName; line "
                            + nameLine + " is used");
                    continue;
                }
                name = value;
                nameLine = i + 1;
            } else if (key.equals(ALIAS_KEY) && alias == null && !value.isEmpty()) {
                alias = value;
            }
        }
        Optional<IscsiName> valid = Optional.empty();
        if (name == null || name.isEmpty()) {
            warnings.add(0, "initiator name file " + file + " has no InitiatorName" + CONSEQUENCE);
        } else {
            Optional<String> problem = IscsiName.problem(name);
            if (problem.isPresent()) {
                warnings.add(0, "initiator name file " + file + " line " + nameLine + ": '" + name
                        + "' is not a valid iSCSI name (" + problem.get() + ")" + CONSEQUENCE);
            } else {
                valid = Optional.of(IscsiName.of(name));
            }
        }
        return new InitiatorIdentity(file, valid, alias != null ? alias : hostName.get(), warnings);
    }
}
