package org.kiscsi.testkit.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.spi.transport.TransportProvider;

/**
 * What a leak check counts: PDU buffers still held by every connection a transport ever made (open
 * or closed), live threads by name prefix, and this process's file descriptors other than class
 * path jars (which class loading opens once and keeps).
 */
public final class LeakCounts {
    private LeakCounts() {
    }

    /** A transport that keeps every connection it made, to count their buffers after they closed. */
    public static final class Watching implements TransportProvider {
        private final TransportProvider delegate;
        private final List<TransportConnection> made = new CopyOnWriteArrayList<>();

        public Watching(TransportProvider delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Set<TransportCapability> capabilities() {
            return delegate.capabilities();
        }

        @Override
        public CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener) {
            return delegate.connect(request, listener).thenApply(c -> {
                made.add(c);
                return c;
            });
        }

        public long buffersOutstanding() {
            return made.stream().mapToLong(TransportConnection::buffersOutstanding).sum();
        }

        public long openConnections() {
            return made.stream().filter(TransportConnection::isOpen).count();
        }
    }

    public static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    public static List<String> threadNames(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith(prefix)).sorted().toList();
    }

    /** Open file descriptors of this process, jars left out; -1 where /proc is not there. */
    public static long fileDescriptors() {
        Path fds = Path.of("/proc/self/fd");
        try (Stream<Path> s = Files.list(fds)) {
            return s.filter(p -> {
                try {
                    return !Files.readSymbolicLink(p).toString().endsWith(".jar");
                } catch (IOException e) {
                    return false; // closed while listing (the listing's own descriptor among them)
                }
            }).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Polls each count until it is 0, all within {@code bound}; returns what is left of those that
     * are not, as "name: count" (empty when nothing is left).
     */
    public static List<String> left(java.util.Map<String, java.util.function.LongSupplier> counts, java.time.Duration bound)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            List<String> left = counts.entrySet().stream().filter(e -> e.getValue().getAsLong() != 0)
                    .map(e -> e.getKey() + ": " + e.getValue().getAsLong()).toList();
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left;
            }
            Thread.sleep(20);
        }
    }
}
