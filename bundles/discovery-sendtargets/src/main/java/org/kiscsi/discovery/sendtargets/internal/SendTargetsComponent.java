package org.kiscsi.discovery.sendtargets.internal;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.discovery.sendtargets.SendTargetsDiscovery;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.discovery.DiscoveryContext;
import org.kiscsi.spi.discovery.DiscoveryProvider;
import org.osgi.service.component.annotations.Component;

/** SendTargets discovery as an OSGi service: what the daemon binds for {@code sendtargets} records. */
@Component(service = DiscoveryProvider.class, property = DiscoveryProvider.TYPE_PROPERTY + "=sendtargets")
public class SendTargetsComponent implements DiscoveryProvider {
    private final SendTargetsDiscovery sendTargets = new SendTargetsDiscovery();

    @Override
    public DiscoveryType type() {
        return sendTargets.type();
    }

    @Override
    public CompletionStage<List<DiscoveredTarget>> discover(DiscoveryRecord record, DiscoveryContext context) {
        return sendTargets.discover(record, context);
    }
}
