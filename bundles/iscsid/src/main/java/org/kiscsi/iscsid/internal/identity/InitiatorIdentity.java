package org.kiscsi.iscsid.internal.identity;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.kiscsi.api.IscsiName;

/**
 * Who this initiator is: its name and alias as read from the initiatorname file, with the warnings
 * reading it gave. Without a name the daemon still runs; logins and discovery may fail.
 *
 * @param file the initiatorname file
 * @param name {@code InitiatorName=}, when present and valid
 * @param alias {@code InitiatorAlias=}, or the host name when the file has none
 * @param warnings what is wrong with the file, each naming it
 */
public record InitiatorIdentity(Path file, Optional<IscsiName> name, String alias, List<String> warnings) {
    public InitiatorIdentity {
        warnings = List.copyOf(warnings);
    }
}
