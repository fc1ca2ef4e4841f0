package org.kiscsi.transport.iser.verbs;

import org.osgi.annotation.versioning.ConsumerType;

/** A verbs provider: opens the RDMA device the transport works on. */
@ConsumerType
public interface Verbs {
    /** The provider, for messages ({@code soft}, {@code libibverbs}). */
    String name();

    /**
     * Opens the provider's RDMA device.
     *
     * @throws VerbsException {@link VerbsException.Reason#NO_LIBRARY} when the verbs library cannot
     *         be loaded, {@link VerbsException.Reason#NO_DEVICE} when there is no RDMA device, each
     *         naming what is missing
     */
    RdmaDevice open() throws VerbsException;
}
