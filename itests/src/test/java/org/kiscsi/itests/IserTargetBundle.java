package org.kiscsi.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.kiscsi.transport.iser.testtarget.IserTestTarget;

/**
 * The iSER test target (package {@code org.kiscsi.transport.iser.testtarget}, from transport-iser's
 * test-jar) as a bundle a Pax Exam container can install. It runs on the software verbs provider
 * the iser bundle exports and carries its own private copy of the iSER header and Hello codecs (the
 * iser bundle keeps them internal). Built on the driver side.
 */
final class IserTargetBundle {
    private static final String TARGET = "org/kiscsi/transport/iser/testtarget/";
    private static final List<String> CODECS = List.of("org/kiscsi/transport/iser/internal/IserHeader",
            "org/kiscsi/transport/iser/internal/IserHello");

    private IserTargetBundle() {
    }

    /** Writes the bundle under target/ and returns its path. */
    static Path build() {
        try {
            Path out = Path.of("target", "kiscsi-itests-iser-target.jar").toAbsolutePath();
            Files.createDirectories(out.getParent());
            Manifest mf = new Manifest();
            Attributes a = mf.getMainAttributes();
            a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            a.putValue("Bundle-ManifestVersion", "2");
            a.putValue("Bundle-SymbolicName", "org.kiscsi.itests.iser-target");
            a.putValue("Bundle-Version", "1.0.0");
            a.putValue("Export-Package", "org.kiscsi.transport.iser.testtarget;version=\"1.0.0\"");
            a.putValue("Import-Package", "org.kiscsi.api,org.kiscsi.protocol.pdu,org.kiscsi.protocol.text,"
                    + "org.kiscsi.transport.iser.soft,org.kiscsi.transport.iser.verbs");
            a.putValue("Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version>=17))\"");
            int copied;
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(out), mf)) {
                copied = copy(jar, location(IserTestTarget.class), name -> name.startsWith(TARGET)
                        && name.indexOf('/', TARGET.length()) < 0 && name.endsWith(".class"));
                copied += copy(jar, location(Class.forName("org.kiscsi.transport.iser.internal.IserHeader")),
                        name -> CODECS.stream().anyMatch(c -> name.equals(c + ".class") || name.startsWith(c + "$")));
            }
            if (copied < 4) {
                throw new IllegalStateException("only " + copied + " classes of the iSER test target found");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static int copy(JarOutputStream jar, Path source, java.util.function.Predicate<String> wanted) throws IOException {
        int copied = 0;
        if (Files.isDirectory(source)) {
            try (Stream<Path> s = Files.walk(source)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    String name = source.relativize(p).toString().replace('\\', '/');
                    if (wanted.test(name)) {
                        try (InputStream in = Files.newInputStream(p)) {
                            put(jar, name, in);
                            copied++;
                        }
                    }
                }
            }
        } else {
            try (JarFile src = new JarFile(source.toFile())) {
                for (Enumeration<JarEntry> e = src.entries(); e.hasMoreElements();) {
                    JarEntry entry = e.nextElement();
                    if (!entry.isDirectory() && wanted.test(entry.getName())) {
                        try (InputStream in = src.getInputStream(entry)) {
                            put(jar, entry.getName(), in);
                            copied++;
                        }
                    }
                }
            }
        }
        return copied;
    }

    private static void put(JarOutputStream jar, String name, InputStream in) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        in.transferTo(jar);
        jar.closeEntry();
    }
}
