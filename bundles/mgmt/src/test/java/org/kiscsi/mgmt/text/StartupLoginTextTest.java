package org.kiscsi.mgmt.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.StartupLogins;
import org.kiscsi.api.manage.StartupLogins.LeadingRound;
import org.kiscsi.api.node.NodeKey;

/**
 * {@code -L}'s text with leading logins, as open-iscsi 2.1.8's login_by_startup (usr/iscsiadm.c) and
 * the login messages of usr/session_mgmt.c print it: the ordinary logins, each iface's round, the
 * missed leading targets.
 */
class StartupLoginTextTest {
    private static final String T = "iqn.2026-11.org.kiscsi:disk";
    private static final NodeKey PLAIN = key("127.0.0.1", "default");
    private static final NodeKey PLAIN_DOWN = key("127.0.0.9", "default");
    private static final NodeKey VIA_ETH0 = key("127.0.0.2", "eth0");
    private static final NodeKey VIA_ETH1 = key("127.0.0.2", "eth1");

    private static NodeKey key(String address, String iface) {
        return new NodeKey(IscsiName.of(T), Portal.of(address, 3260, 1), iface);
    }

    private static String at(NodeKey k) {
        return "[iface: " + k.iface() + ", target: " + T + ", portal: " + k.portal().address() + ",3260]";
    }

    @Test
    void roundsAfterTheOrdinaryLoginsAndTheirFailuresLeaveTheExitCodeAlone() {
        StartupLogins s = new StartupLogins(List.of(Outcome.ok(PLAIN)),
                List.of(new LeadingRound("eth0", List.of(Outcome.failed(VIA_ETH0, IscsiError.TRANS_TIMEOUT, ""))),
                        new LeadingRound("eth1", List.of(Outcome.ok(VIA_ETH1)))),
                List.of());
        assertEquals(new Printed("Logging in to " + at(PLAIN) + "\nLogin to " + at(PLAIN) + " successful.\n"
                + "Logging in to " + at(VIA_ETH0) + "\n"
                + "Logging in to " + at(VIA_ETH1) + "\nLogin to " + at(VIA_ETH1) + " successful.\n",
                "iscsiadm: Could not login to " + at(VIA_ETH0) + ".\n"
                + "iscsiadm: initiator reported error (8 - connection timed out)\n"
                + "iscsiadm: Could not log into all portals on eth0, trying next interface\n", 0),
                NodeOutcomes.startupLogin(s, true));
    }

    @Test
    void aMissedLeadingTargetExits19UnlessAnOrdinaryLoginFailedFirst() {
        String why = "No session to target " + T + " at portal 127.0.0.2:3260 after leading logins through iface eth0";
        List<Outcome<NodeKey>> missed = List.of(Outcome.failed(VIA_ETH0, IscsiError.FATAL_LOGIN, why));
        List<LeadingRound> rounds = List.of(new LeadingRound("eth0", List.of(Outcome.failed(VIA_ETH0, IscsiError.TRANS, ""))));
        String roundErr = "iscsiadm: Could not login to " + at(VIA_ETH0) + ".\n"
                + "iscsiadm: initiator reported error (4 - encountered connection failure)\n"
                + "iscsiadm: Could not log into all portals on eth0, trying next interface\n";
        String missedErr = "iscsiadm: Could not login all leading-login portals\niscsiadm: " + why + "\n";
        assertEquals(new Printed("Logging in to " + at(VIA_ETH0) + "\n", roundErr + missedErr, 19),
                NodeOutcomes.startupLogin(new StartupLogins(List.of(), rounds, missed), true));

        Printed p = NodeOutcomes.startupLogin(new StartupLogins(
                List.of(Outcome.failed(PLAIN_DOWN, IscsiError.TRANS_TIMEOUT, "")), rounds, missed), true);
        assertEquals(8, p.exitCode(), "2.1.8 keeps the first error");
        assertEquals("iscsiadm: Could not login to " + at(PLAIN_DOWN) + ".\n"
                + "iscsiadm: initiator reported error (8 - connection timed out)\n"
                + "iscsiadm: Could not log into all portals\n" + roundErr + missedErr, p.stderr());
    }

    @Test
    void withoutWaitOnlyTheOrdinaryLoginsGoUnanswered() {
        StartupLogins s = new StartupLogins(List.of(Outcome.ok(PLAIN)),
                List.of(new LeadingRound("eth1", List.of(Outcome.ok(VIA_ETH1)))), List.of());
        assertEquals(new Printed("Logging in to " + at(PLAIN) + "\n"
                + "Logging in to " + at(VIA_ETH1) + "\nLogin to " + at(VIA_ETH1) + " successful.\n", "", 0),
                NodeOutcomes.startupLogin(s, false));
    }

    @Test
    void leadingRecordsWhoseTargetsHaveSessionsPrintNothing() {
        assertEquals(Printed.NOTHING, NodeOutcomes.startupLogin(new StartupLogins(List.of(), List.of(), List.of()), true));
    }
}
