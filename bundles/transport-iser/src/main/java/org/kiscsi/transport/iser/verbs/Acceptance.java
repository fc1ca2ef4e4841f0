package org.kiscsi.transport.iser.verbs;

import java.util.Objects;

/** A listener's answer to a connection request: the new queue pair's resources and the REP's private data. */
public record Acceptance(ProtectionDomain pd, CompletionQueue cq, QpAttributes attributes, byte[] privateData,
        ConnectionEvents events) {
    public Acceptance {
        Objects.requireNonNull(pd, "pd");
        Objects.requireNonNull(cq, "cq");
        Objects.requireNonNull(attributes, "attributes");
        privateData = privateData.clone();
        Objects.requireNonNull(events, "events");
    }
}
