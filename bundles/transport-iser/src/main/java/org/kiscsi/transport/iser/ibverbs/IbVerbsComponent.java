package org.kiscsi.transport.iser.ibverbs;

import java.util.Hashtable;

import org.kiscsi.transport.iser.verbs.RdmaDevice;
import org.kiscsi.transport.iser.verbs.Verbs;
import org.kiscsi.transport.iser.verbs.VerbsException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the libibverbs provider as the {@link Verbs} service, but only when it opens an RDMA
 * device: without the libraries or a device nothing is registered (and so no {@code iser}
 * transport), the reason is logged once, and the TCP transport is unaffected.
 */
@Component(service = {}, immediate = true, configurationPid = "org.kiscsi.transport.iser.ibverbs",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class IbVerbsComponent {
    /** Optional configuration, PID {@code org.kiscsi.transport.iser.ibverbs}. */
    public @interface Config {
        /** The RDMA device to use, as {@code ibv_devices} names it; empty for the first. */
        String device() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(IbVerbsComponent.class);
    private ServiceRegistration<Verbs> registration;

    @Activate
    public IbVerbsComponent(BundleContext context, Config c) {
        IbVerbs verbs = new IbVerbs(c.device().isEmpty() ? null : c.device());
        try (RdmaDevice d = verbs.open()) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("kiscsi.verbs", verbs.name());
            props.put("kiscsi.verbs.device", d.name());
            registration = context.registerService(Verbs.class, verbs, props);
            LOG.info("iSER: RDMA device {} through libibverbs", d.name());
        } catch (VerbsException e) {
            LOG.info("iSER over libibverbs is not available: {}", e.getMessage());
        }
    }

    @Deactivate
    public void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }
}
