package org.kiscsi.shell.completers;

import java.util.Collection;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.node.IfaceRecord;

/** The names of the ifaces, built-in ones included ({@code -I}). */
@Service
public class IfaceNameCompleter extends LiveCompleterSupport {
    @Override
    protected Collection<String> candidates(IscsiManagement m) throws Exception {
        return answer(m.ifaces()).stream().map(IfaceRecord::name).toList();
    }
}
