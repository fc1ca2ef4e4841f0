package org.kiscsi.shell.commands;

import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.shell.completers.SessionIdCompleter;

/** iscsiadm's {@code -r sid} of the session commands: one session, or every session when left out. */
public abstract class SessionCommandSupport extends IscsiCommandSupport {
    @Option(name = "-r", aliases = "--sid", description = "The session id (or a path ending in session<id>); every session when left out")
    @Completion(SessionIdCompleter.class)
    String sid;

    /** A session id as iscsiadm takes it: a number, or a sysfs path ending in {@code session<N>}. */
    static long parseSid(String text) {
        String t = text.trim();
        int slash = t.lastIndexOf('/');
        String last = slash >= 0 ? t.substring(slash + 1) : t;
        if (last.startsWith("session")) {
            last = last.substring("session".length());
        }
        try {
            long n = Long.parseLong(last);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IscsiException(IscsiError.GENERIC, text + " is an invalid session ID or path");
    }

    /** The session {@code -r} names; as iscsiadm (which reads sysfs), SYSFS_LOOKUP when there is none. */
    SessionDetails session(long id) throws CommandException {
        try {
            return await(management.session(id));
        } catch (IscsiException e) {
            if (e.error() != IscsiError.SESS_NOT_FOUND) {
                throw e;
            }
            throw new IscsiException(IscsiError.SYSFS_LOOKUP, "Could not get session info for sid " + id);
        }
    }
}
