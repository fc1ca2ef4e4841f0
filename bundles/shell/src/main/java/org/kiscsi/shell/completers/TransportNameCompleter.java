package org.kiscsi.shell.completers;

import java.util.Collection;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.kiscsi.api.manage.HostInfo;
import org.kiscsi.api.manage.IscsiManagement;

/** The names of the installed transports ({@code tcp}, a vendor's): one host each, as {@code iscsi:host} lists them. */
@Service
public class TransportNameCompleter extends LiveCompleterSupport {
    @Override
    protected Collection<String> candidates(IscsiManagement m) throws Exception {
        return answer(m.hosts()).stream().map(HostInfo::transport).filter(t -> !t.isEmpty()).toList();
    }
}
