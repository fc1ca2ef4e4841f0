package org.kiscsi.scsi.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.api.scsi.StandardInquiry;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.scsi.BlockDeviceOptions;
import org.kiscsi.scsi.SessionLunService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Registers the {@link LunService}. The session engine ({@link SessionManager}) is an optional, dynamic
 * reference: the service is there from the start, and its calls fail with a message naming what is
 * missing until an engine is registered (so the component is satisfied whether or not one is installed).
 * Configuration PID {@code org.kiscsi.scsi}: {@code maxTransferBytes}, {@code unitAttentionRetries}.
 */
@Component(service = LunService.class, configurationPid = "org.kiscsi.scsi")
public class LunServiceComponent implements LunService {
    /** Configuration of the block devices this service opens. */
    public @interface Config {
        int maxTransferBytes() default BlockDeviceOptions.DEFAULT_MAX_TRANSFER_BYTES;

        int unitAttentionRetries() default BlockDeviceOptions.DEFAULT_UNIT_ATTENTION_RETRIES;
    }

    private volatile SessionManager sessions;
    private volatile BlockDeviceOptions options = BlockDeviceOptions.DEFAULTS;

    @Activate
    @Modified
    void configure(Config config) {
        options = new BlockDeviceOptions(config.maxTransferBytes(), config.unitAttentionRetries());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSessionManager(SessionManager s) {
        sessions = s;
    }

    void unsetSessionManager(SessionManager s) {
        if (sessions == s) {
            sessions = null;
        }
    }

    @Override
    public CompletionStage<List<Long>> reportLuns(long sid) {
        SessionLunService s = service(sid);
        return s == null ? noEngine(sid) : s.reportLuns(sid);
    }

    @Override
    public CompletionStage<BlockDevice> open(long sid, long lun) {
        SessionLunService s = service(sid);
        return s == null ? noEngine(sid) : s.open(sid, lun);
    }

    @Override
    public CompletionStage<StandardInquiry> inquiry(long sid, long lun) {
        SessionLunService s = service(sid);
        return s == null ? noEngine(sid) : s.inquiry(sid, lun);
    }

    private SessionLunService service(long sid) {
        SessionManager s = sessions;
        return s == null ? null : new SessionLunService(s, options);
    }

    private static <T> CompletionStage<T> noEngine(long sid) {
        return CompletableFuture.failedFuture(new IscsiException(IscsiError.SESSION_NOT_CONNECTED, "session " + sid
                + ": no session engine is running (no org.kiscsi.api.session.SessionManager service;"
                + " install the feature that provides it)"));
    }
}
