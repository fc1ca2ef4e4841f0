package org.kiscsi.auth.chap.internal;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The challenges this initiator's logins have sent and not yet seen answered. A target that sends
 * one of them back as its own CHAP_C tries to have us compute the answer it owes us (a reflection
 * attack across logins, possible when both directions share a secret), and is refused. Entries of
 * logins that ended without telling (a timeout) expire.
 */
public final class ChallengeRegistry {
    static final long EXPIRY_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final Map<ByteBuffer, Long> sent = new ConcurrentHashMap<>();

    public void add(byte[] challenge) {
        long now = System.nanoTime();
        sent.values().removeIf(t -> now - t > EXPIRY_NANOS);
        sent.put(ByteBuffer.wrap(challenge.clone()), now);
    }

    public void remove(byte[] challenge) {
        sent.remove(ByteBuffer.wrap(challenge));
    }

    public boolean contains(byte[] challenge) {
        return sent.containsKey(ByteBuffer.wrap(challenge));
    }
}
