package org.kiscsi.engine.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Isid;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.DiscoverySession;
import org.kiscsi.api.session.InitiatorIdentity;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.protocol.login.LoginResult;
import org.kiscsi.protocol.login.LoginException;
import org.kiscsi.protocol.login.LoginMachine;
import org.kiscsi.protocol.login.LoginParameters;
import org.kiscsi.protocol.login.LoginStep;
import org.kiscsi.protocol.text.NegotiatedParameters;
import org.kiscsi.protocol.text.SessionOffers;
import org.kiscsi.spi.auth.AuthAdvice;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.LoginKey;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens sessions: picks the transport the record names, connects, runs the login, follows
 * redirections, retries a first login as {@code node.session.initial_login_retry_max} allows, and
 * opens {@code node.session.nr_sessions} sessions per record.
 */
final class SessionOpener {
    private static final Logger LOG = LoggerFactory.getLogger(SessionOpener.class);
    /** Redirections followed before giving up (a loop between portals must end). */
    static final int MAX_REDIRECTS = 5;

    private final Engine engine;

    SessionOpener(Engine engine) {
        this.engine = engine;
    }

    /** A connection that has logged in: what a session is made of, or takes over in recovery. */
    record Established(Connection connection, LoginResult result, Isid isid) {
    }

    CompletionStage<SessionInfo> login(NodeRecord record) {
        SessionSettings settings;
        List<Integer> indices;
        try {
            RecordEffectsAtLogin.check(record);
            settings = SessionSettings.of(record);
            indices = engine.reserve(record.key(), SessionType.NORMAL, settings.nrSessions());
        } catch (IscsiException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<SessionImpl>> all = new ArrayList<>();
        for (int i : indices) {
            all.add(open(record, record.values(), settings, SessionType.NORMAL, i));
        }
        return all.get(0).thenApply(SessionImpl::info);
    }

    CompletionStage<DiscoverySession> discovery(DiscoveryRecord record) {
        // a discovery session is described by a node-shaped record for the engine's own use
        String prefix = "discovery." + record.type().recordName() + ".";
        RecordValues v = RecordValues.empty();
        for (Map.Entry<String, String> e : record.values().asMap().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(prefix + "auth.")) {
                v = v.with("node.session.auth." + k.substring((prefix + "auth.").length()), e.getValue());
            } else if (k.equals(prefix + "timeo.login_timeout")) {
                v = v.with(NodeKeys.LOGIN_TIMEOUT, e.getValue());
            } else if (!k.startsWith(prefix + "timeo.")) {
                v = v.with(k, e.getValue());
            }
        }
        NodeRecord pseudo = NodeRecord.create(new NodeKey(IscsiName.of("iqn.2026-11.org.kiscsi:discovery"),
                record.address(), null), v);
        SessionSettings settings;
        int index;
        try {
            settings = SessionSettings.of(pseudo).forDiscovery(record.values(), prefix + "timeo.");
            // two discoveries of one portal at once (the discovery daemon and a command) need two ISIDs
            index = engine.reserve(pseudo.key(), SessionType.DISCOVERY, 1).get(0);
        } catch (IscsiException e) {
            return CompletableFuture.failedFuture(e);
        }
        return open(pseudo, record.values(), settings, SessionType.DISCOVERY, index)
                .thenApply(s -> (DiscoverySession) new DiscoverySessionImpl(s));
    }

    /** Opens session {@code index} of the record, retrying as initial_login_retry_max allows; frees the reservation. */
    private CompletableFuture<SessionImpl> open(NodeRecord record, RecordValues offersFrom, SessionSettings settings,
            SessionType type, int index) {
        CompletableFuture<SessionImpl> result = new CompletableFuture<>();
        attempt(record, offersFrom, settings, type, index, 0, result);
        return result.whenComplete((s, e) -> engine.release(record.key(), type, index));
    }

    private void attempt(NodeRecord record, RecordValues offersFrom, SessionSettings settings, SessionType type, int index,
            int tries, CompletableFuture<SessionImpl> result) {
        connectAndLogin(record, offersFrom, settings, type, index, null, record.portal(), 0, null, null).whenComplete((e, f) -> {
            if (f == null) {
                SessionImpl s = new SessionImpl(engine, engine.newSid(), record, settings, type, index, e);
                engine.registered(s);
                LOG.info("login to {} at {}: logged in, sid {}, TSIH {}", type == SessionType.NORMAL ? record.target() : "discovery portal",
                        record.portal().hostPort(), s.sid, e.result().tsih());
                if (!e.connection().transport().isOpen()) {
                    s.connectionClosedRightAfterLogin();
                }
                result.complete(s);
                return;
            }
            Throwable cause = unwrap(f);
            if (retryable(cause) && tries < settings.initialLoginRetryMax()) {
                long delay = Math.min(2000, settings.loginTimeout().toMillis());
                LOG.info("login to {} failed ({}); retrying in {} ms ({} of {})", record.key(), cause.getMessage(), delay,
                        tries + 1, settings.initialLoginRetryMax());
                engine.scheduler().schedule(() -> attempt(record, offersFrom, settings, type, index, tries + 1, result),
                        delay, TimeUnit.MILLISECONDS);
            } else {
                result.completeExceptionally(cause);
            }
        });
    }

    /**
     * Logs in again for a session in recovery: its ISID, TSIH 0 (at ERL0 the target reinstates the
     * nexus and ends the old session's tasks), the record as it is now. One attempt; the session's
     * recovery decides about the next.
     */
    CompletableFuture<Established> reconnect(SessionImpl session, NodeRecord record, SessionSettings settings) {
        return connectAndLogin(record, record.values(), settings, session.type, session.index, session.isid, record.portal(), 0,
                null, null);
    }

    /**
     * The transport switches to full feature phase with the negotiated settings (its own keys'
     * outcome included); no PDU goes before it has, and it must within the login timeout.
     */
    private static CompletableFuture<Void> fullFeaturePhase(TransportConnection t, LoginResult r, Duration timeout, String what) {
        NegotiatedParameters p = r.parameters();
        LinkSettings link = new LinkSettings(p.headerDigest(), p.dataDigest(), p.maxRecvDataSegmentLength(), r.extensionKeys());
        CompletableFuture<Void> switched;
        try {
            switched = t.enterFullFeaturePhase(link).toCompletableFuture();
        } catch (RuntimeException e) {
            switched = CompletableFuture.failedFuture(e);
        }
        return switched.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable c = unwrap(e);
            String why = c instanceof java.util.concurrent.TimeoutException
                    ? "the transport did not enter full feature phase within " + timeout.toSeconds()
                            + " s (node.conn[0].timeo.login_timeout)"
                    : "the transport could not enter full feature phase: " + c.getMessage();
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.TRANS, what + ": logged in, but " + why, c));
        });
    }

    /** No connection within the login timeout (SYNs dropped, nobody answering): iscsiadm's TRANS_TIMEOUT, saying which key. */
    private static Throwable connectFailure(Throwable e, String what, Duration timeout) {
        if (e instanceof IscsiException i && i.error() == IscsiError.TRANS_TIMEOUT) {
            return new IscsiException(IscsiError.TRANS_TIMEOUT, what + ": no connection within " + timeout.toSeconds()
                    + " s (node.conn[0].timeo.login_timeout): " + i.getMessage(), i);
        }
        return e;
    }

    static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** Transport trouble and target-side errors (class 3) may pass; initiator errors will not. */
    private static boolean retryable(Throwable e) {
        if (e instanceof LoginException l) {
            return l.retryable();
        }
        return e instanceof IscsiException i && (i.error() == IscsiError.TRANS || i.error() == IscsiError.TRANS_TIMEOUT
                || i.error() == IscsiError.PDU_TIMEOUT);
    }

    /**
     * Connects to {@code portal} and logs in, following redirections, and once more when the
     * authenticator advises it (other CHAP algorithms).
     *
     * @param algorithms CHAP algorithms to offer, or null for the record's
     * @param earlier the advice that led to this attempt, or null for a first attempt
     */
    private CompletableFuture<Established> connectAndLogin(NodeRecord record, RecordValues offersFrom,
            SessionSettings settings, SessionType type, int index, Isid fixedIsid, Portal portal, int redirects,
            List<String> algorithms, AuthAdvice earlier) {
        String initiatorName;
        Isid isid;
        TransportProvider transport;
        Map<String, String> offers;
        String alias;
        LoginAuth auth;
        String what = "login to " + (type == SessionType.NORMAL ? record.target().value() : "discovery portal") + " at "
                + portal.hostPort();
        try {
            InitiatorIdentity id = engine.identity();
            initiatorName = record.values().get(NodeKeys.IFACE_INITIATORNAME, "").trim();
            if (initiatorName.isEmpty() || initiatorName.equals("<empty>")) {
                initiatorName = id.initiatorName().orElseThrow(() -> new IscsiException(IscsiError.LOGIN,
                        "no InitiatorName is configured (initiatorname file), so no login to " + record.key() + " is possible"));
            }
            IscsiName.of(initiatorName);
            isid = fixedIsid != null ? fixedIsid : Isids.forSession(record, initiatorName, index);
            transport = engine.transport(settings.transportName());
            auth = LoginAuth.prepare(engine, record, settings, initiatorName,
                    type == SessionType.NORMAL ? record.target().value() : null, portal, type, algorithms, what);
            alias = id.initiatorAlias().orElse(null);
            offers = TransportOffers.fit(type == SessionType.NORMAL ? SessionOffers.normal(offersFrom)
                    : SessionOffers.discovery(offersFrom), transport.capabilities(), transport.name(), what);
        } catch (IscsiException e) {
            return CompletableFuture.failedFuture(e);
        }
        String name = initiatorName;
        Isid sessionIsid = isid;
        TransportProvider provider = transport;
        // the transport's own keys are read from its connection, once it is up
        // every login here opens a session (TSIH 0): its connection is the leading one
        Function<TransportConnection, LoginParameters> params = t -> {
            List<LoginKey> keys = t.loginKeys();
            int tsih = 0;
            return new LoginParameters(name, alias,
                    type == SessionType.NORMAL ? record.target().value() : null, type, sessionIsid.value(), tsih, 0, 0, 1,
                    auth.offered(), TransportOffers.withTransportKeys(offers, keys, tsih, provider.name(), what),
                    SessionOffers.maxXmitCap(record.values()), portal.hostPort(),
                    TransportOffers.definitions(keys, provider.name(), what));
        };
        CompletableFuture<LoginStep> loggedIn = new CompletableFuture<>();
        Connection connection = new Connection(0, portal.hostPort(), transport.name(),
                transport.capabilities(), null);
        LoginDriver driver = new LoginDriver(connection, what, settings.waits());
        connection.handOver(driver);
        Duration timeout = settings.loginTimeout();
        // the transport gets the iface's values only: the record's secrets are for the authenticator
        transport.connect(new ConnectRequest(portal, settings.localAddress(), timeout,
                ConnectRequest.ifaceValues(record.values().asMap())), connection)
                .whenComplete((t, e) -> {
                    if (e != null) {
                        loggedIn.completeExceptionally(connectFailure(unwrap(e), what, timeout));
                        return;
                    }
                    connection.attach(t);
                    // login PDUs carry at most 8192 data bytes until MaxRecvDataSegmentLength is negotiated
                    t.configure(LinkSettings.LOGIN);
                    LoginMachine machine;
                    try {
                        machine = new LoginMachine(params.apply(t), auth);
                    } catch (RuntimeException x) {
                        auth.done();
                        connection.close();
                        loggedIn.completeExceptionally(x);
                        return;
                    }
                    driver.run(machine, timeout, engine.scheduler())
                            .thenCompose(step -> step instanceof LoginStep.Done d ? fullFeaturePhase(t, d.result(), timeout, what)
                                    .thenApply(v -> step) : CompletableFuture.completedFuture(step))
                            .whenComplete((step, f) -> {
                                auth.done(); // the secrets are overwritten before anyone hears of the outcome
                                if (f != null) {
                                    connection.close();
                                    loggedIn.completeExceptionally(unwrap(f));
                                } else {
                                    loggedIn.complete(step);
                                }
                            });
                });
        loggedIn.whenComplete((step, f) -> auth.done());
        return loggedIn.thenCompose(step -> {
            if (step instanceof LoginStep.Redirect r) {
                connection.close();
                if (redirects >= MAX_REDIRECTS) {
                    throw new IscsiException(IscsiError.LOGIN, what + ": more than " + MAX_REDIRECTS + " redirections");
                }
                LOG.info("{}: redirected {} to {}", what, r.permanent() ? "permanently" : "temporarily", r.portal());
                return connectAndLogin(record, offersFrom, settings, type, index, isid, r.portal(), redirects + 1, algorithms,
                        earlier);
            }
            return CompletableFuture.completedFuture(new Established(connection, ((LoginStep.Done) step).result(), isid));
        }).exceptionallyCompose(f -> {
            Throwable cause = unwrap(f);
            if (!loggedIn.isCompletedExceptionally()) {
                return CompletableFuture.failedFuture(cause); // a redirected login failed and took its own advice
            }
            return afterLoginFailure(cause, auth, earlier, what, advice -> connectAndLogin(record, offersFrom, settings, type,
                    index, isid, portal, redirects, advice.retryAlgorithms(), advice));
        });
    }

    /**
     * A login failed: the authenticator may explain why, and may ask for one more login with other
     * algorithms — once per login, whatever {@code initial_login_retry_max} says, so that a wrong
     * secret stays one clear failure.
     */
    private static CompletableFuture<Established> afterLoginFailure(Throwable cause, LoginAuth auth, AuthAdvice earlier,
            String what, Function<AuthAdvice, CompletableFuture<Established>> again) {
        if (cause instanceof IscsiException i && i.error() == IscsiError.LOGIN_AUTH_FAILED && auth.offered().equals(List.of("None"))) {
            // the target wants authentication the record does not configure: say so, not just "authentication failure"
            return CompletableFuture.failedFuture(new IscsiException(i.error(), i.getMessage() + ": the record offers no "
                    + "authentication (" + NodeKeys.AUTH_METHOD + " = None); the target requires it (CHAP)", i));
        }
        Optional<AuthAdvice> advice = auth.afterFailure(cause);
        if (advice.isPresent() && advice.get().retries() && earlier == null) {
            LOG.info("{}: {}; logging in once more offering {}", what, advice.get().explanation(),
                    String.join(",", advice.get().retryAlgorithms()));
            return again.apply(advice.get());
        }
        if (!(cause instanceof IscsiException i) || (advice.isEmpty() && earlier == null)) {
            return CompletableFuture.failedFuture(cause);
        }
        StringBuilder m = new StringBuilder(i.getMessage());
        advice.ifPresent(a -> m.append(": ").append(a.explanation()));
        if (earlier != null) {
            m.append(" (second login, offering ").append(String.join(",", earlier.retryAlgorithms())).append(", after: ")
                    .append(earlier.explanation()).append(')');
        }
        return CompletableFuture.failedFuture(new IscsiException(i.error(), m.toString(), i));
    }

    /** At most 80 characters of text from the target, control characters shown as '?'. */
    static String shown(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }

    /** A discovery session: text requests over a logged-in SessionType=Discovery session. */
    private static final class DiscoverySessionImpl implements DiscoverySession {
        private final SessionImpl session;

        DiscoverySessionImpl(SessionImpl session) {
            this.session = session;
        }

        @Override
        public CompletionStage<List<String>> text(List<String> keyValues) {
            StringBuilder sb = new StringBuilder();
            for (String kv : keyValues) {
                sb.append(kv).append('\0');
            }
            return session.text(sb.toString().getBytes(StandardCharsets.UTF_8)).thenApply(parts -> {
                int n = parts.stream().mapToInt(ByteBuffer::remaining).sum();
                ByteBuffer all = ByteBuffer.allocate(n);
                parts.forEach(p -> all.put(p.duplicate()));
                String text = new String(all.array(), StandardCharsets.UTF_8);
                if (n > 0 && all.get(n - 1) != 0) {
                    // RFC 7143 6.1: every key=value, the last included, ends with a null
                    int from = text.lastIndexOf('\0') + 1;
                    throw new IscsiException(IscsiError.TRANS, session.where + ": the answer to " + String.join(",", keyValues)
                            + " is cut off: it ends in '" + shown(text.substring(from)) + "' with no null delimiter");
                }
                List<String> out = new ArrayList<>();
                for (String s : text.split("\0")) {
                    if (!s.isEmpty()) {
                        out.add(s);
                    }
                }
                return out;
            });
        }

        @Override
        public CompletionStage<Void> closeAsync() {
            return session.logout().handle((v, e) -> null);
        }

        @Override
        public void close() {
            try {
                session.logout().get(session.settings().logoutTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                session.close(e);
            }
        }
    }
}
