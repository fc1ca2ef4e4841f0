package org.kiscsi.shell.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.shell.completers.IfaceNameCompleter;
import org.kiscsi.shell.completers.PortalCompleter;
import org.kiscsi.shell.completers.TargetNameCompleter;

/**
 * iscsiadm's record selection, shared by the node commands: {@code -T}, {@code -p} and {@code -I}
 * (several {@code -I} select any of them); each left out matches every record.
 */
public abstract class NodeCommandSupport extends IscsiCommandSupport {
    @Option(name = "-T", aliases = "--targetname", description = "The target's name (iqn..., eui..., naa...)")
    @Completion(TargetNameCompleter.class)
    String target;

    @Option(name = "-p", aliases = "--portal", description = "The target portal, address[:port][,tpgt]")
    @Completion(PortalCompleter.class)
    String portal;

    @Option(name = "-I", aliases = "--interface", multiValued = true, description = "The iface the record goes through (repeatable)")
    @Completion(IfaceNameCompleter.class)
    List<String> ifaces;

    /**
     * The records {@code -T}, {@code -p}, {@code -I} select. {@code keepTpgt} false drops the TPGT of
     * {@code -p}, as iscsiadm matches records on target, address, port and iface only.
     */
    NodeSelector selector(boolean keepTpgt) {
        Optional<IscsiName> t = Optional.ofNullable(target).map(IscsiName::of);
        Optional<Portal> p = Optional.ofNullable(portal).map(Portal::parse).map(x -> keepTpgt ? x : x.withoutTpgt());
        return new NodeSelector(t, p, ifaces == null ? List.of() : new ArrayList<>(ifaces));
    }

    /** Whether any of {@code -T}, {@code -p}, {@code -I} was given. */
    boolean selects() {
        return target != null || portal != null || (ifaces != null && !ifaces.isEmpty());
    }
}
