package org.kiscsi.export.nbd.internal;

import java.time.Duration;

import org.kiscsi.api.export.ExportInfo;
import org.kiscsi.api.export.ExportSpec;
import org.kiscsi.api.export.ExportState;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.export.nbd.NbdExport;

/**
 * One export of the daemon and where it is: the session it serves from, its device (made at the first
 * open, then following the record's sessions) and the NBD export the server offers. Guarded by the
 * component's lock.
 */
final class DaemonExport {
    final ExportSpec spec;
    /** Kept in the configuration (written there by hand, or added as persistent). */
    boolean configured;
    private final NodeSelector record;
    ExportState state = ExportState.WAITING;
    long sid = -1;
    /** The session whose LUN is being opened, or -1. */
    long opening = -1;
    String detail = "no logged-in session of the record";
    FollowingDevice device;
    NbdExport nbd;
    Duration replacementTimeout;
    boolean removed;

    DaemonExport(ExportSpec spec, boolean configured, Duration replacementTimeout) {
        this.spec = spec;
        this.configured = configured;
        this.record = NodeSelector.of(spec.node());
        this.replacementTimeout = replacementTimeout;
    }

    boolean follows(SessionInfo s) {
        return s.type() == SessionType.NORMAL && record.matches(s.node());
    }

    String where() {
        return "export '" + spec.name() + "' (LUN " + spec.lun() + " of " + spec.node() + ")";
    }

    ExportInfo info(long clients) {
        return new ExportInfo(spec, state, sid, nbd == null ? 0 : nbd.size(), nbd == null ? 0 : nbd.minBlock(), clients,
                configured, state == ExportState.READY || state == ExportState.OPENING ? "" : detail);
    }
}
