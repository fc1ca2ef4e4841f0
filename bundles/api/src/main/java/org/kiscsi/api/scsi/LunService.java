package org.kiscsi.api.scsi;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/** Finds and opens the logical units behind a logged-in session. */
@ProviderType
public interface LunService {
    /** REPORT LUNS on the session. */
    CompletionStage<List<Long>> reportLuns(long sid);

    /** A block device over {@code lun} of the session (READ CAPACITY done). */
    CompletionStage<BlockDevice> open(long sid, long lun);
}
