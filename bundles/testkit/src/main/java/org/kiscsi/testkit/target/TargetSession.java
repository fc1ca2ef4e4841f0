package org.kiscsi.testkit.target;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A session of the test target: one initiator's ISID, its TSIH and its live connections. */
final class TargetSession {
    final String initiatorName;
    final long isid;
    final int tsih;
    final List<TargetConnection> connections = new CopyOnWriteArrayList<>();

    TargetSession(String initiatorName, long isid, int tsih) {
        this.initiatorName = initiatorName;
        this.isid = isid;
        this.tsih = tsih;
    }

    boolean belongsTo(String name, long id) {
        return initiatorName.equals(name) && isid == id;
    }
}
