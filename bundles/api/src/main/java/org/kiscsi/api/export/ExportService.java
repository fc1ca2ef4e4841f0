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
     * Adds an export at run time (kept until removed or the daemon stops). Completes with its first
     * snapshot; fails with {@link org.kiscsi.api.IscsiError#INVAL} for a name in use or not allowed.
     */
    CompletionStage<ExportInfo> add(ExportSpec spec);

    /**
     * Removes the export and disconnects its clients; fails with
     * {@link org.kiscsi.api.IscsiError#NO_OBJS_FOUND} when there is none of that name.
     */
    CompletionStage<ExportInfo> remove(String name);
}
