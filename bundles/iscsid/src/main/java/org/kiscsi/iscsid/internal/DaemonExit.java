package org.kiscsi.iscsid.internal;

import org.kiscsi.api.IscsiError;

/** How the daemon ends the process it runs in. */
public interface DaemonExit {
    /** A fatal start-up error: the run ends with {@code error}'s code, {@code reason} printed by the launcher. */
    void fatal(IscsiError error, String reason);

    /** An orderly stop was asked for ({@code iscsiadm -k 0}): the run ends with status 0. */
    void stop();
}
