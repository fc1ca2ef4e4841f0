package org.kiscsi.shell.completers;

import java.util.Collection;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.NodeSelector;

/** The portals of the node records, as {@code -p} takes them ({@code 127.0.0.1:3260}, {@code [::1]:3260}). */
@Service
public class PortalCompleter extends LiveCompleterSupport {
    @Override
    protected Collection<String> candidates(IscsiManagement m) throws Exception {
        return answer(m.nodes(NodeSelector.ALL, false)).stream().map(r -> text(r.portal())).toList();
    }

    static String text(Portal p) {
        String a = p.address();
        return (a.indexOf(':') >= 0 ? "[" + a + "]" : a) + ":" + p.port();
    }
}
