package org.kiscsi.itests;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.when;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Boots the assembled kiscsi distribution (the tar.gz the karaf-assembly module built) with free
 * ports for SSH, RMI and JMX, so a test run never collides with another Karaf on the machine.
 */
public abstract class KiscsiTestSupport {
    @Inject
    protected BundleContext bundleContext;

    protected static Option[] baseConfiguration() {
        String assembly = System.getProperty("kiscsi.assembly");
        if (assembly == null || !new File(assembly).isFile()) {
            throw new IllegalStateException("kiscsi.assembly does not name the built distribution: " + assembly
                    + " (build karaf-assembly first)");
        }
        boolean offline = System.getProperty("maven.offline", "").endsWith("true");
        List<Option> o = new ArrayList<>(List.of(
                karafDistributionConfiguration().frameworkUrl(new File(assembly).toURI().toString())
                        .karafVersion("4.4.10").name("kiscsi").unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.INFO),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.offline", Boolean.toString(offline)),
                // boot features are deployed before the framework reaches its start level, so Pax Exam's probe
                // is never installed while a deployment's resolver hook holds every other bundle back
                editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "featuresBootAsynchronous", "false"),
                when(Boolean.getBoolean("exam.keep")).useOptions(keepRuntimeFolder())));
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isEmpty()) {
            o.add(editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", repo));
        }
        return o.toArray(new Option[0]);
    }

    /** A port nothing listens on right now. */
    /**
     * An initiatorname.iscsi naming {@code iqn}, written under target/ as {@code fileName} before the
     * container starts (bin/iscsid would generate one), for replaceConfigurationFile.
     */
    protected static File initiatorNameFile(String fileName, String iqn) {
        try {
            java.nio.file.Path f = java.nio.file.Path.of("target", fileName).toAbsolutePath();
            java.nio.file.Files.createDirectories(f.getParent());
            java.nio.file.Files.writeString(f, "InitiatorName=" + iqn + "\n");
            return f.toFile();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    protected static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    protected Bundle bundle(String symbolicName) {
        for (Bundle b : bundleContext.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    protected List<Bundle> kiscsiBundles() {
        List<Bundle> out = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.kiscsi.")) {
                out.add(b);
            }
        }
        return out;
    }

    /** Waits up to {@code millis} for {@code condition}; false when it never held. */
    protected static boolean waitFor(BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    /** Unused in the container; keeps the maven() import meaningful for subclasses adding bundles. */
    protected static Object mavenUrl(String group, String artifact) {
        return maven().groupId(group).artifactId(artifact).versionAsInProject();
    }
}
