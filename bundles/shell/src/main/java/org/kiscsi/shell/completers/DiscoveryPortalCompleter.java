package org.kiscsi.shell.completers;

import java.util.Collection;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.kiscsi.api.manage.IscsiManagement;

/** The addresses of the discovery records, as {@code -p} takes them ({@code 127.0.0.1:3260}, {@code [::1]:3260}). */
@Service
public class DiscoveryPortalCompleter extends LiveCompleterSupport {
    @Override
    protected Collection<String> candidates(IscsiManagement m) throws Exception {
        return answer(m.discoveryRecords(false)).stream().map(d -> PortalCompleter.text(d.address())).toList();
    }
}
