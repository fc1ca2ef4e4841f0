package org.kiscsi.engine;

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
final class LeakCounts {
    private LeakCounts() {
    }

    /** A transport that keeps every connection it made, to count their buffers after they closed. */
    static final class Watching implements TransportProvider {
        private final TransportProvider delegate;
        final List<TransportConnection> made = new CopyOnWriteArrayList<>();

        Watching(TransportProvider delegate) {
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

        long buffersOutstanding() {
            return made.stream().mapToLong(TransportConnection::buffersOutstanding).sum();
        }

        long openConnections() {
            return made.stream().filter(TransportConnection::isOpen).count();
        }
    }

    static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    static List<String> threadNames(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith(prefix)).sorted().toList();
    }

    /** Open file descriptors of this process, jars left out; -1 where /proc is not there. */
    static long fileDescriptors() {
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
}
