package org.kiscsi.api.session;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The session engine, as front ends (daemon, shell, applications) use it. Every wait it does is
 * bounded by a timeout taken from the node record; failures complete the returned stages with an
 * {@link org.kiscsi.api.IscsiException} that names the target and portal.
 */
@ProviderType
public interface SessionManager {
    /**
     * Opens normal sessions for {@code record} and logs in: as many as are missing up to
     * {@code node.session.nr_sessions} (sessions in recovery count as present); the stage completes
     * with the first opened. When all are present it touches nothing and fails with
     * {@link org.kiscsi.api.IscsiError#SESS_EXISTS}, saying as open-iscsi does
     * {@code "default: 1 session requested, but 1 already present."}.
     */
    CompletionStage<SessionInfo> login(NodeRecord record);

    /** Logs the session out and closes it; a session in recovery stops trying and closes. */
    CompletionStage<Void> logout(long sid);

    /** Opens and logs in a discovery session to the record's portal. */
    CompletionStage<DiscoverySession> openDiscoverySession(DiscoveryRecord record);

    /** All sessions, in sid order. */
    List<SessionInfo> sessions();

    Optional<SessionInfo> session(long sid);

    /**
     * The session's PDU and byte counters since login ({@code iscsiadm -m session -s}).
     *
     * @throws org.kiscsi.api.IscsiException {@code SESS_NOT_FOUND} when there is no such session,
     *         {@code OP_NOT_SUPP} from an engine that does not count
     * @since 1.3
     */
    default SessionStatistics statistics(long sid) {
        throw new org.kiscsi.api.IscsiException(org.kiscsi.api.IscsiError.OP_NOT_SUPP,
                "session " + sid + ": " + getClass().getName() + " keeps no statistics");
    }

    /** The SCSI command path of a logged-in session. */
    ScsiTaskExecutor executor(long sid);

    void addListener(SessionListener listener);

    void removeListener(SessionListener listener);
}
