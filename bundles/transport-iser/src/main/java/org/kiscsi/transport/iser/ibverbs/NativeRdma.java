package org.kiscsi.transport.iser.ibverbs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * The JNI shim over libibverbs and librdmacm ({@code src/main/c/kiscsi_rdma.c}, built by the Maven
 * build into {@code lib/linux-x86-64/libkiscsi_rdma.so}). Loaded on first use: in OSGi through the
 * bundle's {@code Bundle-NativeCode}, on a plain class path from the resource, copied to a temporary
 * file. Pointers travel as longs; the Java classes of this package own them.
 */
final class NativeRdma {
    static final String LIBRARY = "kiscsi_rdma";
    static final String RESOURCE = "/lib/linux-x86-64/lib" + LIBRARY + ".so";
    private static volatile VerbsException loadFailure;
    private static volatile boolean loaded;

    private NativeRdma() {
    }

    /**
     * Loads the shim (and with it libibverbs.so.1 and librdmacm.so.1) once.
     *
     * @throws VerbsException {@code NO_LIBRARY} naming what could not be loaded
     */
    static synchronized void load() throws VerbsException {
        if (loaded) {
            return;
        }
        if (loadFailure != null) {
            throw loadFailure;
        }
        try {
            try {
                System.loadLibrary(LIBRARY);
            } catch (UnsatisfiedLinkError notOnThePath) {
                if (notOnThePath.getMessage() != null && notOnThePath.getMessage().contains("libibverbs")
                        || notOnThePath.getMessage() != null && notOnThePath.getMessage().contains("librdmacm")) {
                    throw notOnThePath;
                }
                loadFromResource();
            }
            loaded = true;
        } catch (UnsatisfiedLinkError | IOException e) {
            loadFailure = new VerbsException(VerbsException.Reason.NO_LIBRARY, "the RDMA verbs binding cannot be loaded: "
                    + e.getMessage() + " (it needs libibverbs.so.1 and librdmacm.so.1, Debian's libibverbs1 and librdmacm1,"
                    + " and lib" + LIBRARY + ".so for linux-x86-64 from the transport-iser bundle)", e);
            throw loadFailure;
        }
    }

    private static void loadFromResource() throws IOException {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new UnsatisfiedLinkError("lib" + LIBRARY + ".so is built for Linux on x86-64, not " + os + " on " + arch);
        }
        try (InputStream in = NativeRdma.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new UnsatisfiedLinkError("no " + RESOURCE + " on the class path of " + NativeRdma.class.getName());
            }
            Path tmp = Files.createTempFile("lib" + LIBRARY, ".so");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            System.load(tmp.toString());
        }
    }

    // device
    static native long open(String deviceName) throws NativeError;

    static native String deviceName(long dev);

    static native void close(long dev);

    static native int waitEvents(long dev, int timeoutMs);

    static native long nextCqEvent(long dev);

    /** out: event, id, listen id, status; returns the private data's length, -1 when no event is there. */
    static native int nextCmEvent(long dev, long[] out, byte[] privateData);

    // protection domains and memory
    static native long allocPd(long dev) throws NativeError;

    static native void deallocPd(long pd) throws NativeError;

    static native long regMr(long pd, ByteBuffer buffer, int offset, int length, int access) throws NativeError;

    static native long mrAddress(long mr);

    static native long mrKeys(long mr);

    static native void deregMr(long mr) throws NativeError;

    // memory windows (type 2)
    static native long allocMw(long pd) throws NativeError;

    static native int mwRkey(long mw);

    static native void deallocMw(long mw) throws NativeError;

    static native int incRkey(int rkey);

    // completion queues
    static native long createCq(long dev, int entries) throws NativeError;

    static native void destroyCq(long cq) throws NativeError;

    static native int reqNotify(long cq);

    static native int pollCq(long cq, ByteBuffer out, int max);

    // connection manager and queue pairs
    static native long createId(long dev) throws NativeError;

    static native void resolveAddr(long id, byte[] ip, int port, int timeoutMs) throws NativeError;

    static native void resolveRoute(long id, int timeoutMs) throws NativeError;

    static native int createQp(long id, long pd, long cq, int maxSend, int maxRecv) throws NativeError;

    static native void connect(long id, int responderResources, int initiatorDepth, int retry, int rnrRetry, byte[] privateData)
            throws NativeError;

    static native void accept(long id, int responderResources, int initiatorDepth, int retry, int rnrRetry, byte[] privateData)
            throws NativeError;

    static native void reject(long id);

    static native void disconnect(long id);

    static native void destroyQp(long id);

    static native void destroyId(long id);

    static native void listen(long id, byte[] ip, int port, int backlog) throws NativeError;

    static native byte[] address(long id, boolean local);

    static native int postRecv(long id, long wrId, long address, int length, int lkey);

    static native int postSend(long id, long wrId, int opcode, long address, int length, int lkey, long remoteAddress, int rkey,
            int invalidateRkey, boolean signaled);

    /** Returns 0 or the errno of ibv_post_send. */
    static native int postBind(long id, long wrId, long mw, int rkey, long mr, long address, long length, int access,
            boolean signaled);

    /** Returns 0 or the errno of ibv_post_send. */
    static native int postLocalInvalidate(long id, long wrId, int rkey);
}
