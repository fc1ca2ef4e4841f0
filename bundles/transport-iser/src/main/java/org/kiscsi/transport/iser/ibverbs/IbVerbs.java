package org.kiscsi.transport.iser.ibverbs;

import org.kiscsi.transport.iser.verbs.RdmaDevice;
import org.kiscsi.transport.iser.verbs.Verbs;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * The verbs provider over libibverbs and librdmacm (through the JNI shim {@link NativeRdma}). The
 * native library is loaded on the first {@link #open()}, not before.
 */
public final class IbVerbs implements Verbs {
    private final String deviceName;

    /** @param deviceName the RDMA device to open (as {@code ibv_devices} lists it), or null for the first */
    public IbVerbs(String deviceName) {
        this.deviceName = deviceName;
    }

    @Override
    public String name() {
        return "libibverbs";
    }

    @Override
    public RdmaDevice open() throws VerbsException {
        NativeRdma.load();
        long dev;
        try {
            dev = NativeRdma.open(deviceName);
        } catch (NativeError e) {
            if (e.noDevice()) {
                throw new VerbsException(VerbsException.Reason.NO_DEVICE, "no RDMA device"
                        + (deviceName == null ? "" : " named " + deviceName) + ": " + e.getMessage()
                        + " (libibverbs finds none under /sys/class/infiniband_verbs, or librdmacm has no /dev/infiniband/rdma_cm:"
                        + " an RDMA adapter with its kernel driver, or a soft-RoCE/iWARP link (rdma_rxe, siw), is needed)", e);
            }
            throw new VerbsException(VerbsException.Reason.RESOURCE, "opening the RDMA device failed: " + e.getMessage(), e);
        }
        return new IbDevice(dev);
    }
}
