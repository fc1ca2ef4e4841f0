package org.kiscsi.transport.iser.soft;

import java.nio.ByteBuffer;

import org.kiscsi.transport.iser.verbs.Access;

/**
 * An RDMA Read or Write against the peer's memory, checked as a responder does: the rkey names a
 * valid region or a bound window of the peer's protection domain that allows the access and covers
 * the bytes (a window also only through the queue pair it is bound to). The bytes move under the
 * region's (and window's) lock: a deregistration or invalidation waits for them, and one that came
 * first refuses them.
 */
final class SoftRdma {
    private SoftRdma() {
    }

    /**
     * Moves {@code length} bytes between {@code mine} (at its position) and the peer's memory at
     * {@code remoteAddress}. Null when they moved, else why the rkey was refused.
     */
    static String move(SoftPd theirPd, SoftQp theirQp, int rkey, long remoteAddress, int length, boolean write, ByteBuffer mine) {
        Access needed = write ? Access.REMOTE_WRITE : Access.REMOTE_READ;
        SoftMw.MoveAt move = (theirs, at) -> {
            if (write) {
                theirs.put(at, mine, mine.position(), length);
            } else {
                mine.put(mine.position(), theirs, at, length);
            }
        };
        SoftMw window = theirPd.window(rkey);
        if (window != null) {
            return window.access(theirQp, rkey, remoteAddress, length, needed, move);
        }
        SoftMr mr = theirPd.region(rkey);
        String why = mr == null ? "is not valid there" : !mr.access().contains(needed) ? "does not allow " + needed
                : !mr.covers(remoteAddress, length) ? "does not cover 0x" + Long.toHexString(remoteAddress) + "+" + length : null;
        if (why != null) {
            return why;
        }
        int at = (int) (remoteAddress - mr.address());
        return mr.access(theirs -> move.move(theirs, at)) ? null : "is not valid there";
    }
}
