package org.kiscsi.iscsid.internal.manage;

import java.util.function.Supplier;

/**
 * Serializes read-modify-write per record (node key, iface name, discovery portal): an update by
 * one request never interleaves with another's on the same record, so concurrent updates of
 * different keys all land. Striped (records hashing alike share a lock), so it stays small however
 * many records there are. Held only around short store calls on the daemon's worker threads, never
 * across network waits.
 */
final class RecordLocks {
    private final Object[] stripes = new Object[64];

    RecordLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    <T> T with(Object record, Supplier<T> body) {
        synchronized (stripes[Math.floorMod(record.hashCode(), stripes.length)]) {
            return body.get();
        }
    }
}
