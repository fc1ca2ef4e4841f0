package org.kiscsi.transport.tcp.internal;

import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.transport.tcp.TcpOptions;
import org.kiscsi.transport.tcp.TcpTransport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP transport as a service: one {@link TcpTransport} from activation to deactivation. A changed
 * configuration is applied in place ({@link #modified}), so it never drops a session.
 */
@Component(service = TransportProvider.class, configurationPid = "org.kiscsi.transport.tcp",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = TransportProvider.NAME_PROPERTY + "=" + TcpTransport.NAME)
public final class TcpTransportComponent implements TransportProvider {
    /** Optional configuration, PID {@code org.kiscsi.transport.tcp}; see {@link TcpOptions}. */
    public @interface Config {
        int ioThreads() default 0;

        long maxQueuedSendBytes() default 64L << 20;

        int receiveBufferSize() default 0;

        boolean checkAhsEntries() default true;

        /** Busy polling while one or two replies of small exchanges are due, in microseconds (0: none; at most 1000). */
        long busyPollMicros() default 50;

        /** Read coalescing: the pause in microseconds (0: none; at most 1000) while readCoalesceMinReplies are due. */
        long readCoalesceMicros() default 30;

        /** How many replies a connection must await for the read-coalescing pause. */
        int readCoalesceMinReplies() default 16;

        /**
         * How the pause and the poll apply: {@code adaptive} (their settings are upper bounds, each
         * connection's observed replies decide), {@code fixed} or {@code off}.
         */
        String moderation() default "adaptive";
    }

    private static final Logger LOG = LoggerFactory.getLogger(TcpTransportComponent.class);

    private TcpTransport transport;

    @Activate
    public void activate(Config config) {
        transport = new TcpTransport(options(config));
    }

    /** Without this DS would deactivate and reactivate the component, closing every connection. */
    @Modified
    public void modified(Config config) {
        TcpOptions next = options(config);
        OptionsChange change = OptionsChange.between(transport.options(), next);
        if (change.isEmpty()) {
            return;
        }
        transport.reconfigure(next);
        LOG.info("TCP transport configuration changed: {}", change);
    }

    /**
     * The transport's options from its configuration (microseconds there, nanoseconds in TcpOptions).
     * A value out of range or a moderation that is none of off, fixed, adaptive is refused with an
     * IllegalArgumentException naming the key.
     */
    public static TcpOptions options(Config config) {
        return new TcpOptions(config.ioThreads(), config.maxQueuedSendBytes(), config.receiveBufferSize(),
                config.checkAhsEntries(), config.busyPollMicros() * 1000, config.readCoalesceMicros() * 1000,
                config.readCoalesceMinReplies(), TcpOptions.Moderation.parse(config.moderation()));
    }

    @Deactivate
    public void deactivate() {
        transport.close();
    }

    @Override
    public String name() {
        return TcpTransport.NAME;
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return transport.capabilities();
    }

    @Override
    public CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener) {
        return transport.connect(request, listener);
    }
}
