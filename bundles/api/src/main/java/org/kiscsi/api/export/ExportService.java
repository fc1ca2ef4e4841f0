package org.kiscsi.api.export;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The daemon's exports: named LUNs of its sessions served to other programs (kiscsi's NBD export).
 * Each export follows its node record's session: while the session recovers, requests wait; when it is
 * gone, they wait for a new one at most the record's {@code node.session.timeo.replacement_timeout} and
 * then fail; when a session of the record logs in again, the export serves from it.
 */
@ProviderType
public interface ExportService {
    /** The exports, by name. */
    List<ExportInfo> exports();

    Optional<ExportInfo> export(String name);

    /** Where clients reach the exports: {@code unix:/path/nbd.sock}, {@code tcp:127.0.0.1:10809}. */
    List<String> listeners();

    /**
     * Adds an export for this run of the daemon only (as {@code add(spec, false)}): gone when the daemon
     * stops. Completes with its first snapshot; fails with {@link org.kiscsi.api.IscsiError#INVAL} for a
     * name in use or not allowed.
     */
    default CompletionStage<ExportInfo> add(ExportSpec spec) {
        return add(spec, false);
    }

    /**
     * Adds an export at run time. {@code persistent}: it is also written to the service's configuration
     * (the daemon's {@code etc/org.kiscsi.export.nbd.cfg}), so it is there again after a restart, as
     * the exports written there by hand are; a configuration that cannot be written fails the add with
     * {@link org.kiscsi.api.IscsiError#IDBM} and adds nothing. Otherwise as {@link #add(ExportSpec)}.
     */
    CompletionStage<ExportInfo> add(ExportSpec spec, boolean persistent);

    /**
     * Removes the export and disconnects its clients, and from the configuration when it is kept there
     * ({@link ExportInfo#configured()}); fails with
     * {@link org.kiscsi.api.IscsiError#NO_OBJS_FOUND} when there is none of that name.
     */
    CompletionStage<ExportInfo> remove(String name);
}
