package org.kiscsi.shell.commands;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.mgmt.text.RecordText;
import org.kiscsi.mgmt.text.Words;

/**
 * {@code iscsiadm -m node -o new -T ... -p ...}: a record per iface, with iscsid.conf's defaults; with
 * {@code -T} or {@code -p} missing, as iscsiadm, every record they match is added again with defaults.
 */
@Command(scope = "iscsi", name = "node-new", description = "Adds node records for a target portal (iscsiadm -m node -o new)")
@Service
public class NodeNewCommand extends NodeCommandSupport {
    @Override
    protected Printed run() throws CommandException {
        NodeSelector selector = selector(true);
        List<NodeSelector> exact = new ArrayList<>();
        if (selector.isExact()) {
            exact.add(selector);
        } else {
            for (NodeRecord r : await(management.nodes(selector, false))) {
                exact.add(NodeSelector.of(r.key()));
            }
            if (exact.isEmpty()) {
                return Printed.error(IscsiError.NO_OBJS_FOUND, "Error while adding record: no records found");
            }
        }
        Printed p = Printed.NOTHING;
        for (NodeSelector s : exact) {
            List<Outcome<NodeKey>> outcomes;
            try {
                outcomes = await(management.createNodes(s));
            } catch (IscsiException e) {
                p = p.then(Printed.error(e.error(), e.getMessage()));
                continue;
            }
            List<NodeRecord> created = new ArrayList<>();
            for (Outcome<NodeKey> o : outcomes) {
                if (o.isOk()) {
                    created.addAll(await(management.nodes(NodeSelector.of(o.subject()), false)));
                } else {
                    p = p.then(Printed.error(o.status(), o.message().isEmpty()
                            ? "Error while adding record: " + Words.errText(o.status()) : o.message()));
                }
            }
            p = p.then(RecordText.nodesAdded(created));
        }
        return p;
    }
}
