package org.kiscsi.shell.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.shell.completers.IfaceNameCompleter;

/** The iface an iface command changes ({@code -I}, required), and applying {@code iface.*} pairs to it. */
public abstract class IfaceCommandSupport extends IscsiCommandSupport {
    @Option(name = "-I", aliases = "--interface", required = true, description = "The iface's name")
    @Completion(IfaceNameCompleter.class)
    String name;

    /** The update's outcome; a refusal of the whole update becomes the outcome's failure, as iscsiadm reports it. */
    Outcome<String> update(List<RecordChange> pairs) throws CommandException {
        try {
            return await(management.updateIface(name, pairs));
        } catch (IscsiException e) {
            return Outcome.failed(name, e.error(), e.getMessage());
        }
    }
}
