package org.kiscsi.transport.iser.verbs;

/** A verbs call that failed, with why in a form a caller can act on. */
public final class VerbsException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** The verbs or RDMA CM library (or the binding's native part) is not there. */
        NO_LIBRARY,
        /** No RDMA device (no adapter, no soft-RoCE, no {@code /dev/infiniband}). */
        NO_DEVICE,
        /** A queue or table is full (send queue, receive queue, registrations). */
        RESOURCE,
        /** A call's arguments are wrong (unregistered memory, out of bounds, a closed object). */
        INVALID,
        /** The connection manager could not connect (no listener, rejected, timed out). */
        CONNECT,
        /** The provider or its binding does not offer the operation (the message names what is missing). */
        UNSUPPORTED
    }

    private final Reason reason;

    public VerbsException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public VerbsException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
