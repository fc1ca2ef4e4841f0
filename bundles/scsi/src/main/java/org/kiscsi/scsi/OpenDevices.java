package org.kiscsi.scsi;

import java.lang.System.Logger.Level;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.kiscsi.api.scsi.Sense;
import org.kiscsi.api.scsi.SenseKey;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.api.session.SessionState;

/**
 * The block devices a {@link SessionLunService} opened, by session, and the listener that hands them
 * the unit attentions their session owns: {@link SessionListener#rescanNeeded} for a session and LUN
 * goes to each open device of that LUN as the sense it names (a device re-reads its capacity after
 * CAPACITY DATA HAS CHANGED). Devices are held weakly (one an application dropped is not kept alive
 * for events) and forgotten when their session closes.
 */
final class OpenDevices implements SessionListener {
    private static final System.Logger LOG = System.getLogger(OpenDevices.class.getName());

    private final Map<Long, List<WeakReference<ScsiBlockDevice>>> bySession = new ConcurrentHashMap<>();

    void add(long sid, ScsiBlockDevice device) {
        List<WeakReference<ScsiBlockDevice>> list = bySession.computeIfAbsent(sid, s -> new CopyOnWriteArrayList<>());
        list.removeIf(r -> r.get() == null);
        list.add(new WeakReference<>(device));
    }

    /** How many devices of {@code sid} are still open (for tests and diagnostics). */
    int count(long sid) {
        List<WeakReference<ScsiBlockDevice>> list = bySession.get(sid);
        return list == null ? 0 : (int) list.stream().filter(r -> r.get() != null).count();
    }

    @Override
    public void rescanNeeded(long sid, long lun, String reason) {
        List<WeakReference<ScsiBlockDevice>> list = bySession.get(sid);
        if (list == null) {
            return;
        }
        OptionalInt code = Sense.ascAscqOf(reason);
        if (code.isEmpty()) {
            LOG.log(Level.WARNING, "session {0} LUN {1}: rescan needed for a reason not in the ASC table, \"{2}\";"
                    + " not passed to the LU''s devices", sid, Luns.toString(lun), reason);
            return;
        }
        int asc = code.getAsInt() >> 8;
        int ascq = code.getAsInt() & 0xFF;
        Sense sense = new Sense(0x70, SenseKey.UNIT_ATTENTION, asc, ascq, reason, OptionalLong.empty(), OptionalInt.empty());
        for (WeakReference<ScsiBlockDevice> r : list) {
            ScsiBlockDevice d = r.get();
            if (d != null && d.lun() == lun) {
                d.sessionReported(sense);
            }
        }
    }

    @Override
    public void stateChanged(SessionInfo session, SessionState previous) {
        if (session.state() == SessionState.CLOSED) {
            bySession.remove(session.sid());
        }
    }
}
