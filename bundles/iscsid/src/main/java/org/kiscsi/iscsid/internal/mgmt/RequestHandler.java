package org.kiscsi.iscsid.internal.mgmt;

import java.util.concurrent.CompletionStage;

import org.kiscsi.mgmt.MgmtRequest;

/** Answers one kind of management request. May complete later (a login waits on the network). */
@FunctionalInterface
public interface RequestHandler {
    CompletionStage<Reply> handle(MgmtRequest request);
}
