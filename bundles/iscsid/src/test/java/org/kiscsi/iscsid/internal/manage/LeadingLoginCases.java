package org.kiscsi.iscsid.internal.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.iscsid.internal.manage.ManageFixture.await;
import static org.kiscsi.iscsid.internal.manage.ManageFixture.failure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.manage.StartupFilter;
import org.kiscsi.api.manage.StartupLogins;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.mgmt.text.NodeOutcomes;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.testkit.loopback.LoopbackTransport;

/**
 * {@code -L} with {@code node.leading_login = Yes} (open-iscsi 2.1.8's login_by_startup): ordinary
 * records first, then leading ones one iface at a time, a target and portal with a session already
 * not tried again, and a leading target left without a session reported missed (exit 19).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class LeadingLoginCases {
    @TempDir
    Path root;
    ManageFixture f;

    abstract NodeStore open(Path root);

    @BeforeEach
    void start() throws Exception {
        f = new ManageFixture(open(root), root);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private NodeSelector at(Portal portal, String iface) {
        return new NodeSelector(Optional.of(IscsiName.of(ManageFixture.IQN)), Optional.of(portal), List.of(iface));
    }

    /** A record at {@code portal} through loopback iface {@code iface}, started by -L automatic. */
    private NodeSelector record(Portal portal, String iface, boolean leading) throws Exception {
        NodeSelector s = at(portal, iface);
        f.loopbackRecord(iface, s);
        List<Outcome<NodeKey>> o = await(f.service.updateNodes(s, List.of(new RecordChange(NodeKeys.STARTUP, "automatic"),
                new RecordChange(NodeKeys.LEADING_LOGIN, leading ? "Yes" : "No"))));
        assertTrue(o.get(0).isOk(), o.toString());
        return s;
    }

    private List<String> sessionIfaces() throws Exception {
        return await(f.service.sessions()).stream().map(d -> d.iface().name() + "@" + d.info().node().portal().port())
                .sorted().toList();
    }

    private static List<String> rounds(StartupLogins s) {
        return s.leading().stream().map(r -> r.iface() + ":" + r.logins().stream()
                .map(o -> o.subject().iface() + "=" + o.status()).toList()).toList();
    }

    @Test
    void theFirstIfaceThatReachesTheTargetIsTheOnlyOneTried() throws Exception {
        record(f.portal, "lo", true);
        record(f.portal, "lo2", true);
        StartupLogins s = await(f.service.loginAll(StartupFilter.AUTOMATIC, true));
        assertEquals(List.of(), s.logins());
        assertEquals(List.of("lo:[lo=OK]"), rounds(s), "lo2's record is not tried: its target has a session on that portal");
        assertEquals(List.of(), s.missed());
        assertEquals(List.of("lo@" + f.portal.port()), sessionIfaces());
        Printed p = NodeOutcomes.startupLogin(s, true);
        assertEquals(0, p.exitCode());
        assertEquals("", p.stderr());
        assertEquals("Logging in to [iface: lo, target: " + ManageFixture.IQN + ", portal: " + f.portal.address() + ","
                + f.portal.port() + "]\nLogin to [iface: lo, target: " + ManageFixture.IQN + ", portal: "
                + f.portal.address() + "," + f.portal.port() + "] successful.\n", p.stdout());
    }

    @Test
    void aFailedLeadingLoginFallsThroughToTheNextIface() throws Exception {
        record(f.portal, "lo", true);
        record(f.portal, "lo2", true);
        await(f.service.updateIface("lo", List.of(new RecordChange(NodeKeys.TRANSPORT_NAME, "bnx2i"))));
        StartupLogins s = await(f.service.loginAll(StartupFilter.ALL, true));
        assertEquals(List.of("lo:[lo=TRANS_NOT_FOUND]", "lo2:[lo2=OK]"), rounds(s));
        assertEquals(List.of(), s.missed());
        assertEquals(List.of("lo2@" + f.portal.port()), sessionIfaces());
        Printed p = NodeOutcomes.startupLogin(s, true);
        assertEquals(0, p.exitCode(), "2.1.8 keeps no leading round's error");
        assertTrue(p.stderr().endsWith("iscsiadm: Could not log into all portals on lo, trying next interface\n"), p.stderr());
        assertTrue(p.stdout().endsWith("Login to [iface: lo2, target: " + ManageFixture.IQN + ", portal: "
                + f.portal.address() + "," + f.portal.port() + "] successful.\n"), p.stdout());
    }

    @Test
    void aLeadingTargetNoIfaceReachesIsMissedWithExit19() throws Exception {
        Portal nowhere = Portal.of(LoopbackTransport.HOST, 9, 1);
        record(nowhere, "lo", true);
        record(nowhere, "lo2", true);
        StartupLogins s = await(f.service.loginAll(StartupFilter.AUTOMATIC, true));
        assertEquals(List.of("lo:[lo=TRANS]", "lo2:[lo2=TRANS]"), rounds(s));
        assertEquals(1, s.missed().size(), "one per target and portal");
        Outcome<NodeKey> missed = s.missed().get(0);
        assertEquals(IscsiError.FATAL_LOGIN, missed.status());
        assertEquals("No session to target " + ManageFixture.IQN + " at portal " + nowhere.hostPort()
                + " after leading logins through iface lo, lo2", missed.message());
        assertEquals(List.of(), sessionIfaces());
        Printed p = NodeOutcomes.startupLogin(s, true);
        assertEquals(19, p.exitCode());
        assertTrue(p.stderr().endsWith("iscsiadm: Could not log into all portals on lo2, trying next interface\n"
                + "iscsiadm: Could not login all leading-login portals\niscsiadm: " + missed.message() + "\n"), p.stderr());
    }

    @Test
    void ordinaryRecordsGoFirstAndLeadingOnesSkipATargetAndPortalWithASession() throws Exception {
        Portal second = f.target.attach(f.loopback);
        record(f.portal, "lo", false);
        record(f.portal, "lo2", true);
        record(second, "lo2", true);
        StartupLogins s = await(f.service.loginAll(StartupFilter.AUTOMATIC, true));
        assertEquals(List.of(Outcome.ok(new NodeKey(IscsiName.of(ManageFixture.IQN), f.portal, "lo"))), s.logins());
        // the session lo made covers lo2's record on that portal, not the one on the second portal
        assertEquals(1, s.leading().size());
        assertEquals(List.of(Outcome.ok(new NodeKey(IscsiName.of(ManageFixture.IQN), second, "lo2"))),
                s.leading().get(0).logins());
        assertEquals(List.of(), s.missed());
        assertEquals(List.of("lo2@" + second.port(), "lo@" + f.portal.port()), sessionIfaces());
        assertEquals(0, NodeOutcomes.startupLogin(s, true).exitCode());

        // an ordinary login's failure sets the exit code, before a missed leading target's 19
        Portal nowhere = Portal.of(LoopbackTransport.HOST, 9, 1);
        record(nowhere, "lo", false);
        record(nowhere, "lo2", true);
        await(f.service.logoutAll(StartupFilter.ALL));
        StartupLogins again = await(f.service.loginAll(StartupFilter.AUTOMATIC, true));
        assertEquals(1, again.missed().size(), again.toString());
        assertEquals(nowhere.hostPort(), again.missed().get(0).subject().portal().hostPort());
        Printed p = NodeOutcomes.startupLogin(again, true);
        assertEquals(IscsiError.TRANS.code(), p.exitCode(), p.stderr());
        assertTrue(p.stderr().contains("iscsiadm: Could not log into all portals\n"), p.stderr());
        assertTrue(p.stderr().contains("iscsiadm: Could not login all leading-login portals\n"), p.stderr());
    }

    @Test
    void aLeadingRecordOnTheBuiltInDefaultIfaceIsNeverTried() throws Exception {
        NodeSelector s = at(f.portal, "default");
        await(f.service.createNodes(s));
        await(f.service.updateNodes(s, List.of(new RecordChange(NodeKeys.LEADING_LOGIN, "Yes"))));
        StartupLogins out = await(f.service.loginAll(StartupFilter.MANUAL, true));
        assertEquals(List.of(), out.attempts(), "2.1.8 goes through the ifaces in ifaces/ only");
        assertEquals(1, out.missed().size());
        assertTrue(out.missed().get(0).message().contains("its leading record on iface default is never tried"),
                out.missed().get(0).message());
        Printed p = NodeOutcomes.startupLogin(out, true);
        assertEquals(19, p.exitCode());
        assertEquals("", p.stdout());
    }

    @Test
    void aPlainLoginIgnoresLeadingLogin() throws Exception {
        record(f.portal, "lo", true);
        record(f.portal, "lo2", true);
        List<Outcome<NodeKey>> o = await(f.service.login(new NodeSelector(Optional.of(IscsiName.of(ManageFixture.IQN)),
                Optional.empty(), List.of()), true));
        assertEquals(2, o.size());
        assertTrue(o.stream().allMatch(Outcome::isOk), o.toString());
        assertEquals(List.of("lo2@" + f.portal.port(), "lo@" + f.portal.port()), sessionIfaces());
    }

    @Test
    void withoutWaitLeadingLoginsAreStillWaitedFor() throws Exception {
        record(f.portal, "lo", true);
        StartupLogins s = await(f.service.loginAll(StartupFilter.AUTOMATIC, false));
        assertEquals(List.of("lo:[lo=OK]"), rounds(s));
        List<SessionDetails> sessions = await(f.service.sessions());
        assertEquals(1, sessions.size(), "logged in when -L returns");
    }

    @Test
    void theWorstCaseCountsOneRoundPerIface() throws Exception {
        record(f.portal, "lo", true);
        Duration one = await(f.service.loginWorstCase(NodeSelector.ALL));
        record(f.portal, "lo2", true);
        assertEquals(one.multipliedBy(2), await(f.service.loginWorstCase(NodeSelector.ALL)));
        await(f.service.updateNodes(at(f.portal, "lo2"), List.of(new RecordChange(NodeKeys.LEADING_LOGIN, "No"))));
        assertEquals(one.multipliedBy(2), await(f.service.loginWorstCase(NodeSelector.ALL)), "lo2 before lo's round");
        await(f.service.updateNodes(NodeSelector.ALL, List.of(new RecordChange(NodeKeys.LEADING_LOGIN, "No"))));
        assertEquals(one, await(f.service.loginWorstCase(NodeSelector.ALL)), "all at once");
    }

    @Test
    void leadingLoginTakesYesOrNo() throws Exception {
        record(f.portal, "lo", false);
        var e = failure(f.service.updateNodes(at(f.portal, "lo"), List.of(new RecordChange(NodeKeys.LEADING_LOGIN, "yes"))));
        assertEquals(IscsiError.INVAL, e.error());
        assertEquals("Cannot set node.leading_login to 'yes': expected one of Yes, No.", e.getMessage());
    }
}
