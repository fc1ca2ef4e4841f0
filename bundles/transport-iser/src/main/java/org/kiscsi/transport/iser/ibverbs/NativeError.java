package org.kiscsi.transport.iser.ibverbs;

/** A libibverbs or librdmacm call that failed, as the native shim reports it: the call and its errno. */
final class NativeError extends Exception {
    private static final long serialVersionUID = 1L;
    static final int ENOENT = 2;
    static final int ENXIO = 6;
    static final int ENODEV = 19;
    static final int ENOSYS = 38;
    static final int EOPNOTSUPP = 95;

    final String call;
    final int errno;

    NativeError(String call, int errno, String strerror) {
        super(call + ": " + strerror + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    /** Whether the call is one the device or its provider does not offer (EOPNOTSUPP, ENOSYS). */
    boolean unsupported() {
        return errno == EOPNOTSUPP || errno == ENOSYS;
    }

    /** Whether the failure means no RDMA device is there (no uverbs device, no rdma_cm node). */
    boolean noDevice() {
        return errno == ENODEV || errno == ENOSYS || errno == ENOENT || errno == ENXIO;
    }
}
