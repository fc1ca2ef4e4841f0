package org.kiscsi.transport.iser.soft;

import java.util.Set;

import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.WorkCompletion;

/**
 * A memory window work request on a send queue: a bind ({@code region} set) or a local
 * invalidation of {@code rkey} ({@code region} null, {@code window} the window the rkey names, or
 * null when it names none).
 */
record SoftWindowOp(long wrId, SoftMw window, SoftMr region, long address, int length, Set<Access> access, int rkey,
        boolean signaled) {
    boolean bind() {
        return region != null;
    }

    WorkCompletion.Opcode opcode() {
        return bind() ? WorkCompletion.Opcode.BIND_MW : WorkCompletion.Opcode.LOCAL_INV;
    }

    /** Executes it through {@code qp}; null, or why it failed. */
    String execute(SoftQp qp) {
        if (bind()) {
            String why = window.bind(qp, region, address, length, access, rkey);
            return why == null ? null : "binding window 0x" + Integer.toHexString(rkey) + ": it " + why;
        }
        return window != null && window.invalidate(rkey) ? null : "local invalidation of 0x" + Integer.toHexString(rkey)
                + ": no valid window has that rkey";
    }
}
