package org.kiscsi.transport.iser.ibverbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.transport.iser.verbs.RdmaDevice;
import org.kiscsi.transport.iser.verbs.VerbsException;
import org.osgi.framework.BundleContext;

/**
 * The libibverbs binding as built by this module: the shim loads (with libibverbs and librdmacm),
 * and on a machine without an RDMA device it says so, typed, and registers nothing.
 */
class IbVerbsTest {
    private static boolean rdmaDeviceHere() {
        String[] devices = new File("/sys/class/infiniband").list();
        return devices != null && devices.length > 0;
    }

    @Test
    void theShimIsBuiltIntoTheBundleAndLoads() throws Exception {
        assertNotNull(NativeRdma.class.getResource(NativeRdma.RESOURCE), "the build put " + NativeRdma.RESOURCE + " into the classes");
        NativeRdma.load();
        // a native call answers: the methods are bound (no UnsatisfiedLinkError)
        assertThrows(NativeError.class, () -> NativeRdma.open("kiscsi-no-such-device"));
    }

    @Test
    void everyNativeMethodHasItsFunctionInTheShim() throws Exception {
        java.nio.file.Path so = java.nio.file.Path.of(NativeRdma.class.getResource(NativeRdma.RESOURCE).toURI());
        Process nm = new ProcessBuilder("nm", "-D", "--defined-only", so.toString()).redirectErrorStream(true).start();
        String symbols = new String(nm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(nm.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && nm.exitValue() == 0, symbols);
        List<String> missing = new ArrayList<>();
        for (java.lang.reflect.Method m : NativeRdma.class.getDeclaredMethods()) {
            if (java.lang.reflect.Modifier.isNative(m.getModifiers())
                    && !symbols.contains(" Java_org_kiscsi_transport_iser_ibverbs_NativeRdma_" + m.getName() + "\n")) {
                missing.add(m.getName());
            }
        }
        assertEquals(List.of(), missing, "native methods without a function in " + so.getFileName());
        assertTrue(symbols.contains("allocMw") && symbols.contains("postBind") && symbols.contains("postLocalInvalidate"));
    }

    @Test
    void aWindowsNextRkeyIncrementsItsKeyByteOnly() throws Exception {
        NativeRdma.load();
        assertEquals(0x12345602, NativeRdma.incRkey(0x12345601));
        assertEquals(0x12345600, NativeRdma.incRkey(0x123456FF), "the key byte wraps without touching the index");
    }

    @Test
    void withoutAnRdmaDeviceOpenSaysNoDeviceNamingWhatIsMissing() throws Exception {
        IbVerbs verbs = new IbVerbs(null);
        assertEquals("libibverbs", verbs.name());
        if (rdmaDeviceHere()) {
            try (RdmaDevice d = verbs.open()) {
                assertFalse(d.name().isEmpty());
            }
            return;
        }
        VerbsException e = assertThrows(VerbsException.class, verbs::open);
        assertEquals(VerbsException.Reason.NO_DEVICE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("no RDMA device: rdma_get_devices: "), e.getMessage());
        assertTrue(e.getMessage().contains("/dev/infiniband/rdma_cm"), e.getMessage());
        assertTrue(e.getCause() instanceof NativeError, String.valueOf(e.getCause()));
    }

    @Test
    void aNamedDeviceThatIsNotThereIsNoDevice() {
        VerbsException e = assertThrows(VerbsException.class, () -> new IbVerbs("mlx5_99").open().close());
        assertEquals(VerbsException.Reason.NO_DEVICE, e.reason());
        assertTrue(e.getMessage().contains("named mlx5_99"), e.getMessage());
    }

    @Test
    void theComponentRegistersNoVerbsServiceWithoutADevice() {
        if (rdmaDeviceHere()) {
            return;
        }
        List<String> calls = new ArrayList<>();
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, m, args) -> {
                    calls.add(m.getName());
                    return null;
                });
        IbVerbsComponent.Config config = new IbVerbsComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return IbVerbsComponent.Config.class;
            }

            @Override
            public String device() {
                return "";
            }
        };
        new IbVerbsComponent(context, config).deactivate();
        assertEquals(List.of(), calls, "no service registered, nothing asked of the framework");
    }
}
