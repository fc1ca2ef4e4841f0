package org.kiscsi.api.manage;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.discovery.DiscoveryOp;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionStatistics;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Every operation of iscsiadm's node, session, iface, host, discovery and discovery-record modes, typed. The
 * daemon implements it; bin/iscsiadm reaches it over the management socket and the Karaf shell
 * in-process, and both print its results through one formatter.
 *
 * <p>Stages complete on the implementation's threads and never block them; a failure of the whole
 * operation completes the stage with an {@link org.kiscsi.api.IscsiException} whose
 * {@link org.kiscsi.api.IscsiError} is iscsiadm's exit code ({@code NO_OBJS_FOUND} when nothing
 * matches, {@code INVAL} for a bad argument, ...). Operations on several subjects report each in an
 * {@link Outcome}, in the order acted on, and fail as a whole only when they could not start.
 */
@ProviderType
public interface IscsiManagement {
    /** The daemon's state ({@code iscsiadm -m daemon}). */
    CompletionStage<DaemonStatus> status();

    // --- node records (iscsiadm -m node) ---

    /**
     * The records that match, sorted by target, portal, iface; an empty list when none does.
     *
     * @param withSecrets whether passwords are returned as stored; otherwise they come masked
     *        ({@link org.kiscsi.api.node.Secrets#MASK}) and never leave the daemon
     */
    CompletionStage<List<NodeRecord>> nodes(NodeSelector selector, boolean withSecrets);

    /**
     * {@code -o new}: one record per iface of an exact selector (target and portal given; no iface
     * means {@code default}), with iscsid.conf's defaults. An existing record is replaced, as open-iscsi does.
     */
    CompletionStage<List<Outcome<NodeKey>>> createNodes(NodeSelector exact);

    /**
     * {@code -o update -n k -v v ...}: applies the changes, in order, to each matching record. Unknown
     * keys and identity keys ({@code node.name}, {@code node.conn[0].address}, ...) are refused
     * ({@code INVAL}) before anything is written.
     */
    CompletionStage<List<Outcome<NodeKey>>> updateNodes(NodeSelector selector, List<RecordChange> changes);

    /** {@code -o delete}: a record a session uses is kept, and its outcome says so ({@code SESS_EXISTS}). */
    CompletionStage<List<Outcome<NodeKey>>> deleteNodes(NodeSelector selector);

    /**
     * {@code --login}: logs in to each matching record. With {@code wait} false ({@code -W}) the
     * outcomes say only that the login was started.
     */
    CompletionStage<List<Outcome<NodeKey>>> login(NodeSelector selector, boolean wait);

    /**
     * {@code -L all|automatic|manual|onboot}: the selected records, those with
     * {@code node.leading_login = Yes} after the others and one iface at a time (see
     * {@link StartupLogins}); {@code NO_OBJS_FOUND} when no record is selected. With {@code wait}
     * false only the ordinary logins run on unawaited; leading logins are always waited for.
     */
    CompletionStage<StartupLogins> loginAll(StartupFilter filter, boolean wait);

    /** {@code --logout}: logs out of the sessions of the matching records. */
    CompletionStage<List<Outcome<SessionInfo>>> logout(NodeSelector selector);

    /** {@code -U all|automatic|manual|onboot}: logs out of the sessions of those records. */
    CompletionStage<List<Outcome<SessionInfo>>> logoutAll(StartupFilter filter);

    /**
     * How long a login of the matching records can take at worst, from their own timeouts and retry
     * counts (what a front end waits before it gives up on the daemon). Records with leading login
     * count as {@link #loginAll} runs them: after the others, one iface after another.
     */
    CompletionStage<Duration> loginWorstCase(NodeSelector selector);

    // --- sessions (iscsiadm -m session) ---

    /** All sessions, in sid order. */
    CompletionStage<List<SessionDetails>> sessions();

    /** One session; {@code SESS_NOT_FOUND} when there is none with that sid. */
    CompletionStage<SessionDetails> session(long sid);

    /** {@code -m session -r sid -u}. */
    CompletionStage<Outcome<SessionInfo>> logoutSession(long sid);

    /**
     * {@code -R}: REPORT LUNS, INQUIRY and READ CAPACITY again on the session ({@code sid}), or on
     * every logged-in session ({@code sid} negative); what is found shows in {@link SessionDetails#luns()}.
     */
    CompletionStage<List<Outcome<SessionInfo>>> rescan(long sid);

    /** {@code -s}: the session's PDU and byte counters. */
    CompletionStage<SessionStatistics> statistics(long sid);

    // --- ifaces (iscsiadm -m iface) ---

    /** Every iface, the built-in ones ({@code default}, {@code iser}) first. */
    CompletionStage<List<IfaceRecord>> ifaces();

    /** One iface; {@code NO_OBJS_FOUND} when there is none by that name. */
    CompletionStage<IfaceRecord> iface(String name);

    /** {@code -o new}: an iface with open-iscsi's defaults; {@code INVAL} for a built-in name. */
    CompletionStage<Outcome<String>> createIface(String name);

    /**
     * {@code -o update}: {@code iface.*} keys only; naming a transport that is not installed is
     * accepted (a login through it gives {@code TRANS_NOT_FOUND}).
     */
    CompletionStage<Outcome<String>> updateIface(String name, List<RecordChange> changes);

    /** {@code -o delete}: refused for built-in ifaces and for an iface a session uses. */
    CompletionStage<Outcome<String>> deleteIface(String name);

    // --- hosts (iscsiadm -m host) ---

    /** One host per installed transport instance. */
    CompletionStage<List<HostInfo>> hosts();

    // --- discovery records (iscsiadm -m discoverydb) ---

    /** Every discovery record. */
    CompletionStage<List<DiscoveryRecord>> discoveryRecords(boolean withSecrets);

    /** {@code -o new}: a discovery record with iscsid.conf's discovery defaults. */
    CompletionStage<Outcome<Portal>> createDiscoveryRecord(DiscoveryType type, Portal address);

    /** {@code -o update}: {@code discovery.*} keys only. */
    CompletionStage<Outcome<Portal>> updateDiscoveryRecord(DiscoveryType type, Portal address, List<RecordChange> changes);

    /**
     * {@code -o delete}: the discovery record, its links and the node records it found, as 2.1.8's
     * {@code idbm_delete_discovery}. Unlike 2.1.8, a node record a session uses is kept, and with it the
     * discovery record: the outcome is {@code SESS_EXISTS} and its message names the record (the others
     * are deleted).
     */
    CompletionStage<Outcome<Portal>> deleteDiscoveryRecord(DiscoveryType type, Portal address);

    // --- discovery (iscsiadm -m discovery, -m discoverydb --discover) ---

    /**
     * Asks the portal (or server) which targets it knows, through the discovery method installed
     * for {@code type}, and applies the answer to the node records as {@link
     * org.kiscsi.api.discovery.DiscoveryApplier} does. Discoveries of one source run one after the
     * other. The discovery is bounded by {@link #discoveryWorstCase}.
     *
     * <p>Fails as a whole ({@link org.kiscsi.api.IscsiException}) when it could not ask or the answer
     * was bad (nothing is written then): {@code NO_OBJS_FOUND} with "No portals found" for an empty
     * answer, {@code TRANS_NOT_FOUND} when an iface's transport is not installed, {@code INVAL} for an
     * iface without a record, {@code ISNS_UNAVAILABLE} or {@code OP_NOT_SUPP} when no discovery method
     * of that type is installed, {@code LOGIN_AUTH_FAILED} for refused discovery CHAP, ...
     *
     * @param address the discovery portal or iSNS server (a TPGT is ignored)
     * @param settings which discovery record to run with
     * @param ifaces one set of records per iface; empty means {@code default}
     * @param ops what to do with the records; empty means new, update and delete
     * @return what was found and what happened to each record (per-record failures, such as a stale
     *         record a session uses, are in its changes)
     * @since 1.1
     */
    CompletionStage<AppliedDiscovery> discover(DiscoveryType type, Portal address, DiscoverySettings settings,
            List<String> ifaces, Set<DiscoveryOp> ops);

    /**
     * How long {@link #discover} with these arguments can take at worst, from the discovery record's
     * own timeouts (what a front end waits before it gives up on the daemon).
     *
     * @since 1.1
     */
    CompletionStage<Duration> discoveryWorstCase(DiscoveryType type, Portal address, DiscoverySettings settings);
}
