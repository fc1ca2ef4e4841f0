package org.kiscsi.shell.completers;

import java.util.Collection;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.kiscsi.api.manage.IscsiManagement;

/** The ids of the sessions the daemon has ({@code -r}). */
@Service
public class SessionIdCompleter extends LiveCompleterSupport {
    @Override
    protected Collection<String> candidates(IscsiManagement m) throws Exception {
        return answer(m.sessions()).stream().map(s -> Long.toString(s.info().sid())).toList();
    }
}
