package org.kiscsi.iscsid.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import org.kiscsi.mgmt.version.BuildVersion;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.api.session.NodeRecordSource;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.spi.discovery.DiscoveryProvider;
import org.kiscsi.spi.store.NodeStoreProvider;
import org.kiscsi.spi.transport.TransportProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iscsid daemon as a DS component. Every provider is optional and dynamic: a missing one makes a
 * start-up step wait, one that goes away degrades the daemon, never stops it. Configuration comes
 * from Config Admin (PID org.kiscsi.iscsid), this run's flags from bin/iscsid's launcher.
 */
@Component(configurationPid = IscsidComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        service = {})
public class IscsidComponent {
    static final String PID = "org.kiscsi.iscsid";
    private static final Logger LOG = LoggerFactory.getLogger(IscsidComponent.class);

    private final Providers providers = new Providers();
    private volatile Daemon daemon;
    private DaemonSettings settings;
    /** Resolves a configuration against this run's flags and directories, as activation did. */
    private Function<IscsidConfig, DaemonSettings> resolver;
    /** The initiator name and alias as a service for the session engine (see publishIdentity). */
    private ServiceRegistration<org.kiscsi.api.session.InitiatorIdentity> identityRegistration;
    /** The daemon's node store as the session engine's record source (read again before a re-login). */
    private ServiceRegistration<NodeRecordSource> recordSourceRegistration;
    /** The daemon's management service, for in-process front ends (the Karaf shell), while it runs. */
    private ServiceRegistration<IscsiManagement> managementRegistration;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeStore")
    void addStore(NodeStoreProvider p) {
        providers.addStore(p);
    }

    void removeStore(NodeStoreProvider p) {
        providers.removeStore(p);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetSessions")
    void setSessions(SessionManager s) {
        providers.setSessions(s);
    }

    void unsetSessions(SessionManager s) {
        providers.unsetSessions(s);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeDiscovery")
    void addDiscovery(DiscoveryProvider p) {
        providers.addDiscovery(p);
    }

    void removeDiscovery(DiscoveryProvider p) {
        providers.removeDiscovery(p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeTransport")
    void addTransport(TransportProvider t) {
        providers.addTransport(t);
    }

    void removeTransport(TransportProvider t) {
        providers.removeTransport(t);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetLuns")
    void setLuns(LunService l) {
        providers.setLuns(l);
    }

    void unsetLuns(LunService l) {
        providers.unsetLuns(l);
    }

    @Activate
    void activate(IscsidConfig config, BundleContext context) {
        RunFlags flags = RunFlags.fromSystemProperties();
        Path base = Path.of(System.getProperty("karaf.base", System.getProperty("karaf.home", ".")));
        Path etc = Path.of(System.getProperty("karaf.etc", base.resolve("etc").toString()));
        Path data = Path.of(System.getProperty("karaf.data", base.resolve("data").toString()));
        Function<IscsidConfig, DaemonSettings> resolve = c -> DaemonSettings.resolve(c, flags, base, etc, data, version());
        DaemonSettings settings = resolve.apply(config);
        DaemonExit exit = new FrameworkExit(context, flags.underLauncher());
        Daemon d = new Daemon(settings, providers, exit, Path.of("/proc/self"));
        d.onIdentity(id -> publishIdentity(context, id));
        try {
            d.start();
        } catch (DaemonStartException e) {
            LOG.error("iscsid cannot start: {}", e.getMessage());
            exit.fatal(e.error(), e.getMessage());
            throw new IllegalStateException("iscsid cannot start: " + e.getMessage(), e);
        }
        daemon = d;
        this.settings = settings;
        this.resolver = resolve;
        recordSourceRegistration = context.registerService(NodeRecordSource.class, d.recordSource(), null);
        managementRegistration = context.registerService(IscsiManagement.class, d.management(), null);
    }

    /**
     * Config Admin changed the settings (etc/org.kiscsi.iscsid.cfg edited, {@code config:edit}):
     * without this method DS would deactivate and activate the component, logging every session
     * out. A new {@code node.store} is swapped in live; the other settings wait for the next start.
     */
    @Modified
    void modified(IscsidConfig config) {
        Daemon d = daemon;
        if (d == null) {
            return;
        }
        DaemonSettings next = resolver.apply(config);
        List<String> later = settings.restartOnlyChanges(next);
        if (!later.isEmpty()) {
            LOG.warn("{} changed in {}: takes effect when iscsid starts again", String.join(", ", later), PID);
        }
        d.swapStore(next.storeName());
    }

    @Deactivate
    void deactivate() {
        if (managementRegistration != null) {
            managementRegistration.unregister();
            managementRegistration = null;
        }
        if (recordSourceRegistration != null) {
            recordSourceRegistration.unregister();
            recordSourceRegistration = null;
        }
        if (daemon != null) {
            daemon.stop();
            daemon = null;
        }
        if (identityRegistration != null) {
            identityRegistration.unregister();
            identityRegistration = null;
        }
    }

    /**
     * Offers the initiator name and alias to the session engine as an
     * {@link org.kiscsi.api.session.InitiatorIdentity} service: the daemon owns the initiatorname
     * file, the engine only needs what is in it.
     */
    private synchronized void publishIdentity(BundleContext context, org.kiscsi.iscsid.internal.identity.InitiatorIdentity id) {
        org.kiscsi.api.session.InitiatorIdentity service = org.kiscsi.api.session.InitiatorIdentity.of(
                id.name().map(Object::toString).orElse(null), id.alias());
        if (identityRegistration != null) {
            identityRegistration.unregister();
        }
        identityRegistration = context.registerService(org.kiscsi.api.session.InitiatorIdentity.class, service, null);
    }

    static String version() {
        return BuildVersion.get();
    }
}
