package org.kiscsi.scsi.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.Capacity;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.api.scsi.StandardInquiry;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.scsi.BlockDeviceOptions;
import org.kiscsi.scsi.SessionLunService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Registers the {@link LunService}. The session engine ({@link SessionManager}) is an optional, dynamic
 * reference: the service is there from the start, and its calls fail with a message naming what is
 * missing until an engine is registered (so the component is satisfied whether or not one is installed).
 * Configuration PID {@code org.kiscsi.scsi}: {@code maxTransferBytes}, {@code unitAttentionRetries} (the
 * latter only for executors that do not retry unit attentions themselves; kiscsi's engine does).
 */
@Component(service = LunService.class, configurationPid = "org.kiscsi.scsi")
public class LunServiceComponent implements LunService {
    /** Configuration of the block devices this service opens. */
    public @interface Config {
        int maxTransferBytes() default BlockDeviceOptions.DEFAULT_MAX_TRANSFER_BYTES;

        int unitAttentionRetries() default BlockDeviceOptions.DEFAULT_UNIT_ATTENTION_RETRIES;
    }

    /** One service per bound engine: it keeps the devices it opened, to pass them their session's rescans. */
    private volatile SessionLunService service;
    private volatile BlockDeviceOptions options = BlockDeviceOptions.DEFAULTS;

    @Activate
    @Modified
    void configure(Config config) {
        options = new BlockDeviceOptions(config.maxTransferBytes(), config.unitAttentionRetries());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void setSessionManager(SessionManager s) {
        SessionLunService old = service;
        service = new SessionLunService(s, () -> options);
        if (old != null) {
            old.close();
        }
    }

    synchronized void unsetSessionManager(SessionManager s) {
        SessionLunService old = service;
        if (old != null && old.sessions() == s) {
            service = null;
            old.close();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    @Override
    public CompletionStage<List<Long>> reportLuns(long sid) {
        SessionLunService s = service;
        return s == null ? noEngine(sid) : s.reportLuns(sid);
    }

    @Override
    public CompletionStage<BlockDevice> open(long sid, long lun) {
        SessionLunService s = service;
        return s == null ? noEngine(sid) : s.open(sid, lun);
    }

    @Override
    public CompletionStage<StandardInquiry> inquiry(long sid, long lun) {
        SessionLunService s = service;
        return s == null ? noEngine(sid) : s.inquiry(sid, lun);
    }

    @Override
    public CompletionStage<Capacity> capacity(long sid, long lun) {
        SessionLunService s = service;
        return s == null ? noEngine(sid) : s.capacity(sid, lun);
    }

    private static <T> CompletionStage<T> noEngine(long sid) {
        return CompletableFuture.failedFuture(new IscsiException(IscsiError.SESSION_NOT_CONNECTED, "session " + sid
                + ": no session engine is running (no org.kiscsi.api.session.SessionManager service;"
                + " install the feature that provides it)"));
    }
}
