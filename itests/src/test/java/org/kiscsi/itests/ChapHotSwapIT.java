package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.testkit.peers.ChapCredentials;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.TgtShow;
import org.kiscsi.testkit.peers.Tgtd;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.kiscsi.spi.auth.AuthenticatorFactory;

/**
 * The CHAP authenticator comes and goes at run time (issue 13): inside the distribution, with a tgtd
 * of the test's own that requires CHAP, a CHAP session logged in through {@link SessionManager}
 * stays LOGGED_IN while the kiscsi-auth-chap feature is uninstalled; a new CHAP login then fails
 * before connecting with {@link IscsiError#OP_NOT_SUPP} naming the feature; installed again, CHAP
 * logins work.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ChapHotSwapIT extends KiscsiTestSupport {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:chap-hotswap";
    /** A second CHAP target: the logins after the first session's (a second login of one record would be refused as present). */
    private static final String IQN2 = "iqn.2026-11.org.kiscsi.it:chap-hotswap-2";
    private static final String INITIATOR = "iqn.2026-11.org.kiscsi.it:chap-hotswap-initiator";
    private static final ChapCredentials ACCOUNT = new ChapCredentials("it-hotswap-user", "Hs7hotSwapSecret21");
    private static final String CHAP_FEATURE = "kiscsi-auth-chap";
    private static final String CHAP_BSN = "org.kiscsi.auth.chap";
    /** The umbrella's parts: made root requirements of their own, so the umbrella can go and CHAP alone after it. */
    private static final List<String> PARTS = List.of("kiscsi-api", "kiscsi-mgmt", "kiscsi-store-memory", "kiscsi-store-file",
            "kiscsi-iscsid", "kiscsi-engine", "kiscsi-transport-tcp", CHAP_FEATURE, "kiscsi-scsi");

    @Inject
    SessionManager sessions;

    @Inject
    FeaturesService features;

    private Tgtd tgtd;
    private final List<Long> sids = new ArrayList<>();

    @Configuration
    public Option[] config() {
        List<Option> o = new ArrayList<>(Arrays.asList(baseConfiguration()));
        o.add(CoreOptions.bundle(PeersBundle.build().toUri().toString()));
        return o.toArray(new Option[0]);
    }

    @Before
    public void startTgtd() {
        tgtd = Tgtd.start(Loopback.IPV4);
        tgtd.createTarget(IQN).allowAll().requireChap(ACCOUNT).addLun(1, LunBacking.file(1 << 20));
        tgtd.createTarget(IQN2).allowAll().requireChap(ACCOUNT).addLun(1, LunBacking.file(1 << 20));
    }

    @After
    public void logOutAndStopTgtd() throws Exception {
        try {
            if (!features.isInstalled(features.getFeature(CHAP_FEATURE))) {
                features.installFeature(CHAP_FEATURE); // a failed test must not leave the next one without CHAP
            }
            for (long sid : sids) {
                if (sessions.session(sid).isPresent()) {
                    sessions.logout(sid).toCompletableFuture().get(15, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (tgtd != null) {
                tgtd.close();
            }
        }
    }

    /** A one-way CHAP record for {@code iqn} on the test's tgtd, short timeouts, no login retries. */
    private NodeRecord record(String iqn) {
        return NodeRecord.create(new NodeKey(IscsiName.of(iqn), tgtd.portal(), null), RecordValues.empty()
                .with(NodeKeys.IFACE_INITIATORNAME, INITIATOR).with(NodeKeys.LOGIN_TIMEOUT, "5").with(NodeKeys.LOGOUT_TIMEOUT, "5")
                .with(NodeKeys.REPLACEMENT_TIMEOUT, "5").with(NodeKeys.NOOP_OUT_INTERVAL, "0")
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0").with(NodeKeys.AUTH_METHOD, "CHAP")
                .with("node.session.auth.username", ACCOUNT.user()).with("node.session.auth.password", ACCOUNT.secret()));
    }

    private SessionInfo login(NodeRecord r) throws Exception {
        SessionInfo s = sessions.login(r).toCompletableFuture().get(30, TimeUnit.SECONDS);
        sids.add(s.sid());
        return s;
    }

    private List<TgtShow.Nexus> nexuses(String iqn) {
        return tgtd.show().stream().filter(t -> t.iqn().equals(iqn)).findFirst().orElseThrow().nexuses();
    }

    private boolean chapRegistered() {
        ServiceReference<?>[] refs;
        try {
            refs = bundleContext.getServiceReferences(AuthenticatorFactory.class.getName(),
                    "(" + AuthenticatorFactory.METHOD_PROPERTY + "=CHAP)");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return refs != null && refs.length > 0;
    }

    @Test
    public void aChapSessionOutlivesTheChapFeatureAndNewChapLoginsFailNamingItUntilItIsBack() throws Exception {
        assertTrue("the CHAP authenticator is registered at start", waitFor(this::chapRegistered, 30_000));
        SessionInfo first = login(record(IQN));
        assertEquals(SessionState.LOGGED_IN, first.state());
        assertTrue(waitFor(() -> nexuses(IQN).size() == 1, 10_000));
        assertEquals(INITIATOR, nexuses(IQN).get(0).initiator());

        // The shipped boot installs the umbrella "kiscsi", which requires kiscsi-auth-chap: to uninstall
        // the CHAP feature alone, its parts become requirements of their own first, then the umbrella goes.
        features.installFeatures(new LinkedHashSet<>(PARTS), EnumSet.noneOf(FeaturesService.Option.class));
        features.uninstallFeature("kiscsi");
        assertEquals("taking the umbrella's requirement away changes no session", SessionState.LOGGED_IN,
                sessions.session(first.sid()).orElseThrow().state());

        long t0 = System.nanoTime();
        features.uninstallFeature(CHAP_FEATURE);
        long uninstallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertNull("the CHAP bundle is gone with its feature", bundle(CHAP_BSN));
        assertTrue("the CHAP authenticator service is gone", waitFor(() -> !chapRegistered(), 10_000));

        SessionInfo during = sessions.session(first.sid()).orElseThrow(() -> new AssertionError("the CHAP session is gone"));
        assertEquals("an established CHAP session does not need the authenticator", SessionState.LOGGED_IN, during.state());
        assertEquals(first.isid(), during.isid());
        assertEquals("tgtd still lists the one nexus", 1, nexuses(IQN).size());

        try {
            SessionInfo s = login(record(IQN2));
            fail("a CHAP login without the CHAP feature succeeded: " + s);
        } catch (ExecutionException e) {
            assertTrue("not an IscsiException: " + e.getCause(), e.getCause() instanceof IscsiException);
            IscsiException i = (IscsiException) e.getCause();
            assertEquals(i.toString(), IscsiError.OP_NOT_SUPP, i.error());
            assertTrue(i.getMessage(), i.getMessage().contains("kiscsi-auth-chap"));
            assertTrue("the message names no secret: " + i.getMessage(), !i.getMessage().contains(ACCOUNT.secret()));
            System.out.println("ChapHotSwapIT: CHAP login without the feature: " + i.getMessage());
        }
        assertTrue("the failed login left nothing at tgtd", nexuses(IQN2).isEmpty());
        assertEquals(1, nexuses(IQN).size());
        assertEquals(SessionState.LOGGED_IN, sessions.session(first.sid()).orElseThrow().state());

        t0 = System.nanoTime();
        features.installFeature(CHAP_FEATURE);
        long installMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Bundle chap = bundle(CHAP_BSN);
        assertNotNull("the CHAP bundle is back", chap);
        assertTrue(waitFor(() -> chap.getState() == Bundle.ACTIVE, 10_000));
        assertTrue("the CHAP authenticator service is back", waitFor(this::chapRegistered, 10_000));
        SessionInfo second = login(record(IQN2));
        assertEquals(SessionState.LOGGED_IN, second.state());
        assertTrue("tgtd lists the new session: " + nexuses(IQN2), waitFor(() -> nexuses(IQN2).size() == 1, 10_000));
        assertEquals(1, nexuses(IQN).size());
        assertEquals(SessionState.LOGGED_IN, sessions.session(first.sid()).orElseThrow().state());
        System.out.println("ChapHotSwapIT: feature:uninstall " + CHAP_FEATURE + " " + uninstallMs + " ms, feature:install " + installMs
                + " ms; the first CHAP session stayed LOGGED_IN throughout");

        // the shipped arrangement again: the umbrella back as the requirement
        features.installFeature("kiscsi");
    }
}
