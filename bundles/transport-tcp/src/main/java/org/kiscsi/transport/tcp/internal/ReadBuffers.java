package org.kiscsi.transport.tcp.internal;

import org.apache.mina.core.buffer.CachedBufferAllocator;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.buffer.SimpleBufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MINA allocates a new read buffer for every read (a zeroed heap array of up to the read buffer
 * size), and the JDK then copies socket data into it through a temporary direct buffer. On a data
 * path that is most of the garbage and a copy per read. kiscsi installs MINA's thread-caching
 * allocator with direct buffers instead: reads land in pooled direct memory, the receive side frees
 * each buffer once its PDUs are framed, and nothing is allocated per read.
 *
 * <p>The allocator is a MINA-wide setting; kiscsi's TCP transport is the only MINA user in a kiscsi
 * installation. An allocator someone else installed first is left alone.
 */
final class ReadBuffers {
    private static final Logger LOG = LoggerFactory.getLogger(ReadBuffers.class);

    private ReadBuffers() {
    }

    /** System property that turns pooling off (for measuring what it brings). */
    static final String PROPERTY = "kiscsi.tcp.pooledReadBuffers";

    static synchronized void install() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            LOG.debug("{}=false: MINA allocates a read buffer per read", PROPERTY);
            return;
        }
        if (IoBuffer.getAllocator() instanceof SimpleBufferAllocator) {
            IoBuffer.setAllocator(new CachedBufferAllocator());
            IoBuffer.setUseDirectBuffer(true);
            LOG.debug("MINA reads use pooled direct buffers");
        } else {
            LOG.debug("keeping MINA's buffer allocator {}", IoBuffer.getAllocator().getClass().getName());
        }
    }
}
