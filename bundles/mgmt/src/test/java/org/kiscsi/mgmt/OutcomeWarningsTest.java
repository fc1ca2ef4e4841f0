package org.kiscsi.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.mgmt.text.DiscoveryText;
import org.kiscsi.mgmt.text.IfaceText;
import org.kiscsi.mgmt.text.NodeOutcomes;
import org.kiscsi.mgmt.text.Printed;

/** An outcome's warnings travel as extra row keys and are printed as iscsiadm warnings on stderr, exit 0. */
class OutcomeWarningsTest {
    private static final ResultCodec<List<Outcome<NodeKey>>> ROWS = ResultCodec.outcomes(ValueCodecs.NODE_KEY);
    private static final String W1 = "node.session.queue_depth is kept for open-iscsi and has no effect in kiscsi: x";
    private static final String W2 = "iface.vlan_id is kept for open-iscsi and has no effect in kiscsi: y";

    private static NodeKey key(int port) {
        return new NodeKey(IscsiName.of("iqn.2026-11.org.kiscsi:disk"), Portal.of("127.0.0.1", port, 1), "default");
    }

    @Test
    void warningsTravelAndAnOldRowHasNone() {
        List<Outcome<NodeKey>> sent = List.of(Outcome.ok(key(3260)).withWarnings(List.of(W1, W2)),
                Outcome.failed(key(3261), IscsiError.INVAL, "bad"));
        List<MgmtRow> rows = ROWS.encode(sent);
        assertEquals(sent, ROWS.decode(rows, "test"));
        // a row without the key (an older daemon) decodes without warnings
        List<MgmtPair> plain = rows.get(0).pairs().stream().filter(p -> !p.key().equals(ResultCodec.WARNING)).toList();
        Outcome<NodeKey> old = ROWS.decode(List.of(new MgmtRow(0, "", plain)), "test").get(0);
        assertEquals(List.of(), old.warnings());
        assertEquals(key(3260), old.subject());
    }

    @Test
    void eachWarningIsOneStderrLineOnceAndTheExitIsZero() {
        Printed p = NodeOutcomes.updated(List.of(Outcome.ok(key(3260)).withWarnings(List.of(W1)),
                Outcome.ok(key(3261)).withWarnings(List.of(W1, W2))));
        assertEquals(new Printed("", "iscsiadm: warning: " + W1 + "\niscsiadm: warning: " + W2 + "\n", 0), p);
        assertEquals(Printed.NOTHING, NodeOutcomes.updated(List.of(Outcome.ok(key(3260)))));
        assertEquals(new Printed("lo updated.\n", "iscsiadm: warning: " + W2 + "\n", 0),
                IfaceText.updated(Outcome.ok("lo").withWarnings(List.of(W2))));
        assertEquals(new Printed("", "iscsiadm: warning: " + W1 + "\n", 0),
                DiscoveryText.updated(Outcome.ok(Portal.of("127.0.0.1", 3260)).withWarnings(List.of(W1))));
    }
}
