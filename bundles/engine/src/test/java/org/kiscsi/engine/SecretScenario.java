package org.kiscsi.engine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.DiscoverySession;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.api.session.SessionState;

/**
 * Logins whose records carry CHAP secrets, over the loopback transport to the test target: a
 * normal session that logs in, loses its connection and recovers, logs out; a discovery session; a
 * login the authenticator refuses. Everything the engine says along the way that is not a log line
 * (exception texts, session snapshots and events, a thread dump) is collected for searching.
 */
final class SecretScenario implements AutoCloseable {
    static final String SECRET = "Zq7-secret-only-for-chap";
    static final String DISCOVERY_SECRET = "Dv9-discovery-secret";

    final LoopbackFixture f;
    final ChapChoosingTransport spy;
    final RecordingAuthenticators chap = new RecordingAuthenticators();
    /** Texts the engine produced: exception traces, session snapshots and events, a thread dump. */
    final List<String> said = new CopyOnWriteArrayList<>();

    SecretScenario() throws Exception {
        f = new LoopbackFixture(IscsiEngine.builder().initiatorName(EngineFixture.INITIATOR).authenticator(chap));
        spy = new ChapChoosingTransport(f.loopback);
        f.engine.addTransport(spy);
        f.engine.addListener(new SessionListener() {
            @Override
            public void stateChanged(SessionInfo session, SessionState previous) {
                said.add("stateChanged " + session + " from " + previous);
            }
        });
    }

    /**
     * The fixture's record with CHAP secrets, reached through the CHAP-choosing transport. One-way
     * (no username_in, no password_in: half a mutual set-up is refused), so that None is offered too
     * and the test target's None answer can be turned into CHAP.
     */
    NodeRecord record() {
        return f.record().with(NodeKeys.TRANSPORT_NAME, ChapChoosingTransport.NAME)
                .with(NodeKeys.AUTH_METHOD, "CHAP")
                .with(NodeKeys.USERNAME, "initiator-user").with(NodeKeys.PASSWORD, SECRET);
    }

    DiscoveryRecord discoveryRecord() {
        return new DiscoveryRecord(DiscoveryType.SENDTARGETS, f.portal, RecordValues.empty()
                .with(NodeKeys.TRANSPORT_NAME, ChapChoosingTransport.NAME)
                .with("discovery.sendtargets.auth.authmethod", "CHAP")
                .with("discovery.sendtargets.auth.username", "discovery-user")
                .with("discovery.sendtargets.auth.password", DISCOVERY_SECRET));
    }

    /** Logs in, recovers from a cut, logs out: the session it had. */
    SessionInfo loginRecoverLogout() throws Exception {
        SessionInfo s = LoopbackFixture.await(f.engine.login(record()));
        said.add(s.toString());
        int before = chap.requests.size();
        f.loopback.cutAll();
        if (!LoopbackFixture.eventually(Duration.ofSeconds(10), () -> chap.requests.size() > before
                && f.engine.session(s.sid()).map(i -> i.state() == SessionState.LOGGED_IN).orElse(false))) {
            throw new AssertionError("the session did not recover: " + f.engine.session(s.sid()));
        }
        said.add(f.engine.session(s.sid()).orElseThrow().toString());
        said.add(f.engine.sessions().toString());
        LoopbackFixture.await(f.engine.logout(s.sid()));
        return s;
    }

    void discovery() throws Exception {
        try (DiscoverySession d = LoopbackFixture.await(f.engine.openDiscoverySession(discoveryRecord()))) {
            said.add(LoopbackFixture.await(d.text(List.of("SendTargets=All"))).toString());
        }
    }

    /** A login the authenticator refuses: the failure it ended with. */
    Throwable refusedLogin() throws Exception {
        chap.refuse(true);
        try {
            LoopbackFixture.await(f.engine.login(record()));
            throw new AssertionError("the refused login succeeded");
        } catch (ExecutionException e) {
            said.add(trace(e));
            return e.getCause();
        } finally {
            chap.refuse(false);
        }
    }

    /** Every thread's name and stack, as {@code jstack} would show them. */
    void threadDump() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            b.append(t).append('\n');
            for (StackTraceElement e : stack) {
                b.append("  at ").append(e).append('\n');
            }
        });
        for (ThreadInfo i : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            b.append(i);
        }
        said.add(b.toString());
    }

    static String trace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** Each secret as text, hex and base64: the forms a careless message could print it in. */
    static List<String> secretForms() {
        List<String> forms = new ArrayList<>();
        for (String s : List.of(SECRET, DISCOVERY_SECRET)) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            forms.add(s);
            forms.add(HexFormat.of().formatHex(b));
            forms.add(HexFormat.of().withUpperCase().formatHex(b));
            forms.add(Base64.getEncoder().withoutPadding().encodeToString(b));
        }
        return forms;
    }

    /** The secret forms found in {@code text}, with where; empty when none. */
    static Map<String, String> leaks(String where, String text) {
        for (String form : secretForms()) {
            if (text.contains(form)) {
                return Map.of(form, where);
            }
        }
        return Map.of();
    }

    @Override
    public void close() throws Exception {
        f.close();
    }
}
