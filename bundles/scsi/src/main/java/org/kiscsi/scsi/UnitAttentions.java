package org.kiscsi.scsi;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.Sense;
import org.kiscsi.api.scsi.UnitAttentionListener;

/**
 * Tells a device's {@link UnitAttentionListener}s of the unit attentions its commands met (or, where the
 * session owns them, those the session reported for its LU): every one
 * to {@link UnitAttentionListener#unitAttention}; CAPACITY DATA HAS CHANGED (2A/09) to
 * {@link UnitAttentionListener#rescanNeeded} once the capacity has been read again; REPORTED LUNS DATA
 * HAS CHANGED (3F/0E) to it at once. A failing listener is logged and does not stop the others.
 */
final class UnitAttentions implements UnitAttentionSink {
    private static final System.Logger LOG = System.getLogger(UnitAttentions.class.getName());

    private final long lun;
    private final String where;
    private final Supplier<CompletionStage<?>> rereadCapacity;
    private final List<UnitAttentionListener> listeners = new CopyOnWriteArrayList<>();

    UnitAttentions(long lun, String where, Supplier<CompletionStage<?>> rereadCapacity) {
        this.lun = lun;
        this.where = where;
        this.rereadCapacity = rereadCapacity;
    }

    void add(UnitAttentionListener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
    }

    void remove(UnitAttentionListener l) {
        listeners.remove(l);
    }

    @Override
    public void unitAttention(ScsiTask task, Sense sense) {
        LOG.log(Level.DEBUG, () -> where + ": " + CdbDescriber.describe(task.cdb()) + ": " + sense.text()
                + "; sending the command again");
        reported(sense);
    }

    /** A unit attention the device did not meet itself: the session that owns them reported it. */
    void reported(Sense sense) {
        listeners.forEach(l -> tell(l, () -> l.unitAttention(lun, sense)));
        if (sense.is(0x2A, 0x09)) {
            rereadCapacity.get().whenComplete((c, e) -> {
                if (e != null) {
                    LOG.log(Level.WARNING, where + ": re-reading the capacity after " + sense.text() + " failed", e);
                }
                listeners.forEach(l -> tell(l, () -> l.rescanNeeded(lun, sense)));
            });
        } else if (sense.is(0x3F, 0x0E)) {
            listeners.forEach(l -> tell(l, () -> l.rescanNeeded(lun, sense)));
        }
    }

    private void tell(UnitAttentionListener l, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, where + ": unit attention listener " + l + " failed", e);
        }
    }
}
