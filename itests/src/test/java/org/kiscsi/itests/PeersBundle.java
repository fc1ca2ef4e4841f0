package org.kiscsi.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.kiscsi.testkit.peers.Tgtd;

/**
 * The testkit's real-peer harness (package {@code org.kiscsi.testkit.peers}: tgtd of a test's own,
 * its cleanup) as a bundle a Pax Exam container can install, so an in-container test starts and stops
 * its own tgtd. The testkit bundle itself cannot be installed there: its contract suites import JUnit
 * Jupiter, which the container does not have. The peers package needs only the JDK and
 * {@code org.kiscsi.api}. Built on the driver side, from wherever the testkit is on the class path.
 */
final class PeersBundle {
    static final String PACKAGE = "org/kiscsi/testkit/peers/";

    private PeersBundle() {
    }

    /** Writes the bundle under target/ and returns its path. */
    static Path build() {
        try {
            Path source = Path.of(Tgtd.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path out = Path.of("target", "kiscsi-itests-peers.jar").toAbsolutePath();
            Files.createDirectories(out.getParent());
            Manifest mf = new Manifest();
            Attributes a = mf.getMainAttributes();
            a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            a.putValue("Bundle-ManifestVersion", "2");
            a.putValue("Bundle-SymbolicName", "org.kiscsi.itests.peers");
            a.putValue("Bundle-Version", "1.0.0");
            a.putValue("Export-Package", "org.kiscsi.testkit.peers;version=\"1.0.0\"");
            a.putValue("Import-Package", "org.kiscsi.api");
            a.putValue("Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version>=17))\"");
            int copied = 0;
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(out), mf)) {
                if (Files.isDirectory(source)) {
                    Path dir = source.resolve(PACKAGE);
                    try (Stream<Path> s = Files.list(dir)) {
                        for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                            try (InputStream in = Files.newInputStream(p)) {
                                copy(jar, PACKAGE + p.getFileName(), in);
                                copied++;
                            }
                        }
                    }
                } else {
                    try (JarFile src = new JarFile(source.toFile())) {
                        for (Enumeration<JarEntry> e = src.entries(); e.hasMoreElements();) {
                            JarEntry entry = e.nextElement();
                            String name = entry.getName();
                            if (name.startsWith(PACKAGE) && !entry.isDirectory() && name.indexOf('/', PACKAGE.length()) < 0) {
                                try (InputStream in = src.getInputStream(entry)) {
                                    copy(jar, name, in);
                                    copied++;
                                }
                            }
                        }
                    }
                }
            }
            if (copied == 0) {
                throw new IllegalStateException("no classes of " + PACKAGE + " in " + source);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(JarOutputStream jar, String name, InputStream in) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        in.transferTo(jar);
        jar.closeEntry();
    }
}
