package org.kiscsi.shell.completers;

import java.util.Collection;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.NodeSelector;

/** The target names of the node records ({@code -T}). */
@Service
public class TargetNameCompleter extends LiveCompleterSupport {
    @Override
    protected Collection<String> candidates(IscsiManagement m) throws Exception {
        return answer(m.nodes(NodeSelector.ALL, false)).stream().map(r -> r.target().value()).toList();
    }
}
