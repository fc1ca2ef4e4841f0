package org.kiscsi.discovery.isns.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.discovery.isns.IsnsDiscovery;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.discovery.DiscoveryContext;
import org.kiscsi.spi.discovery.DiscoveryListener;
import org.kiscsi.spi.discovery.DiscoveryProvider;
import org.kiscsi.spi.discovery.DiscoveryWatch;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * iSNS discovery as an OSGi service ({@code isns} records). Optional configuration PID
 * {@code org.kiscsi.discovery.isns}: {@code listenAddress}, the address SCN and ESI listen on
 * (default: the one the server is reached from), {@code scnPort} and {@code esiPort} (default 0: ephemeral). Deactivation deregisters every watch.
 */
@Component(service = DiscoveryProvider.class, property = DiscoveryProvider.TYPE_PROPERTY + "=isns",
        configurationPid = "org.kiscsi.discovery.isns")
public class IsnsComponent implements DiscoveryProvider {
    private IsnsDiscovery isns;

    @Activate
    void activate(Map<String, Object> config) throws UnknownHostException {
        Object a = config.get("listenAddress");
        String text = a == null ? "" : a.toString().trim();
        isns = new IsnsDiscovery(text.isEmpty() ? Optional.empty() : Optional.of(InetAddress.getByName(text)),
                port(config, "scnPort"), port(config, "esiPort"));
    }

    private static int port(Map<String, Object> config, String key) {
        Object v = config.get(key);
        int p = v == null || v.toString().isBlank() ? 0 : Integer.parseInt(v.toString().trim());
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("org.kiscsi.discovery.isns: " + key + " = " + p + " is not a TCP port (0..65535)");
        }
        return p;
    }

    @Deactivate
    void deactivate() {
        isns.close();
    }

    @Override
    public DiscoveryType type() {
        return DiscoveryType.ISNS;
    }

    @Override
    public boolean canWatch() {
        return true;
    }

    @Override
    public CompletionStage<List<DiscoveredTarget>> discover(DiscoveryRecord record, DiscoveryContext context) {
        return isns.discover(record, context);
    }

    @Override
    public DiscoveryWatch watch(DiscoveryRecord record, DiscoveryContext context, DiscoveryListener listener) {
        return isns.watch(record, context, listener);
    }
}
