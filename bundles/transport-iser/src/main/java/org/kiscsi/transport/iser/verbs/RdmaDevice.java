package org.kiscsi.transport.iser.verbs;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/** An open RDMA device (ibv_context with its RDMA CM event channel). */
@ConsumerType
public interface RdmaDevice extends AutoCloseable {
    String name();

    ProtectionDomain allocatePd() throws VerbsException;

    /**
     * A completion queue of {@code entries} entries. {@code notify} is called (on the provider's
     * thread, and must return at once) for the first completion after each
     * {@link CompletionQueue#requestNotify()}.
     */
    CompletionQueue createCq(int entries, Runnable notify) throws VerbsException;

    /**
     * Resolves {@code remote}, creates a reliable-connected queue pair and connects it (CM REQ with
     * {@code params.privateData()}). Completes with the established queue pair, or exceptionally
     * with a {@link VerbsException} ({@code CONNECT}) naming the address and why.
     */
    CompletionStage<QueuePair> connect(ConnectParams params);

    /** Listens for connections (a target's side). */
    RdmaListener listen(InetSocketAddress at, AcceptHandler handler) throws VerbsException;

    @Override
    void close();
}
