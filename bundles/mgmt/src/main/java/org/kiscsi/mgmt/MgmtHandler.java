package org.kiscsi.mgmt;

import java.util.concurrent.CompletionStage;

/**
 * Answers management requests (what a socket server hands each whole request to). Runs off the
 * server's selector thread; may complete later (a login waits on the network).
 */
@FunctionalInterface
public interface MgmtHandler {
    CompletionStage<MgmtAnswer> answer(MgmtRequest request, ProgressSink progress);
}
