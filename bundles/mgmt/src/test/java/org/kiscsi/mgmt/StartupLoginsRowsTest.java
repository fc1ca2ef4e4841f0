package org.kiscsi.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.StartupLogins;
import org.kiscsi.api.manage.StartupLogins.LeadingRound;
import org.kiscsi.api.node.NodeKey;

/** {@code node.login-all}'s rows, and how a reader of the plain outcome rows and this one meet. */
class StartupLoginsRowsTest {
    private static final ResultCodec<StartupLogins> ROWS = ResultCodec.startupLogins(ValueCodecs.NODE_KEY);
    private static final ResultCodec<List<Outcome<NodeKey>>> PLAIN = ResultCodec.outcomes(ValueCodecs.NODE_KEY);

    private static NodeKey key(int port, String iface) {
        return new NodeKey(IscsiName.of("iqn.2026-11.org.kiscsi:disk"), Portal.of("127.0.0.1", port, 1), iface);
    }

    private static final StartupLogins LOGINS = new StartupLogins(List.of(Outcome.ok(key(3260, "default"))),
            List.of(new LeadingRound("eth0", List.of(Outcome.failed(key(3261, "eth0"), IscsiError.TRANS, "refused"),
                    Outcome.ok(key(3262, "eth0")))), new LeadingRound("eth1", List.of(Outcome.ok(key(3261, "eth1"))))),
            List.of(Outcome.failed(key(3263, "eth0"), IscsiError.FATAL_LOGIN, "No session")));

    @Test
    void roundsTravelInOrder() {
        assertEquals(LOGINS, ROWS.decode(ROWS.encode(LOGINS), "test"));
    }

    @Test
    void aPlainReaderSeesEveryRowAsALoginAndPlainRowsAreOrdinary() {
        List<Outcome<NodeKey>> plain = PLAIN.decode(ROWS.encode(LOGINS), "test");
        assertEquals(5, plain.size());
        assertEquals(IscsiError.FATAL_LOGIN, plain.get(4).status());
        List<Outcome<NodeKey>> old = List.of(Outcome.ok(key(3260, "default")), Outcome.ok(key(3261, "eth0")));
        assertEquals(StartupLogins.of(old), ROWS.decode(PLAIN.encode(old), "test"));
    }

    @Test
    void aRoundHoldsOnlyItsIfacesRecords() {
        assertThrows(IllegalArgumentException.class, () -> new LeadingRound("eth0", List.of(Outcome.ok(key(3260, "eth1")))));
    }
}
