package org.kiscsi.api.scsi;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.osgi.annotation.versioning.ProviderType;

/** Finds and opens the logical units behind a logged-in session. */
@ProviderType
public interface LunService {
    /** REPORT LUNS on the session. */
    CompletionStage<List<Long>> reportLuns(long sid);

    /** A block device over {@code lun} of the session (READ CAPACITY done). */
    CompletionStage<BlockDevice> open(long sid, long lun);

    /**
     * Standard INQUIRY of {@code lun}, without opening it (to list what the LUNs are: a target's LUN 0
     * is often a storage array controller, not a disk). @since 1.1
     */
    default CompletionStage<StandardInquiry> inquiry(long sid, long lun) {
        return CompletableFuture.failedFuture(new IscsiException(IscsiError.OP_NOT_SUPP,
                "session " + sid + " LUN " + lun + ": INQUIRY is not supported by " + getClass().getName()));
    }

    /**
     * READ CAPACITY (16, falling back to 10) of {@code lun}, without opening a device over it (to
     * list the LUNs of a session with their sizes). @since 1.4
     */
    default CompletionStage<Capacity> capacity(long sid, long lun) {
        return CompletableFuture.failedFuture(new IscsiException(IscsiError.OP_NOT_SUPP,
                "session " + sid + " LUN " + lun + ": READ CAPACITY is not supported by " + getClass().getName()));
    }
}
