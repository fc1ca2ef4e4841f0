package org.kiscsi.testkit.peers;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The programs the peers run, each with the Debian package that installs it. {@link #path()}
 * finds the program or fails with what to install, so a machine without it fails loudly instead
 * of skipping tests.
 */
public enum Tool {
    TGTD("tgtd", "tgt"),
    TGTADM("tgtadm", "tgt"),
    ISCSI_LS("iscsi-ls", "libiscsi-bin"),
    ISCSI_INQ("iscsi-inq", "libiscsi-bin"),
    ISCSI_READCAPACITY16("iscsi-readcapacity16", "libiscsi-bin"),
    ISCSI_PERF("iscsi-perf", "libiscsi-bin"),
    TSHARK("tshark", "tshark"),
    QEMU_IMG("qemu-img", "qemu-utils"),
    ISNSD("isnsd", "open-isns-server"),
    ISNSADM("isnsadm", "open-isns-utils"),
    /** Network namespaces and veth pairs ({@link DroppingPortal}). */
    IP("ip", "iproute2"),
    /** The firewall rule inside a test's own namespace ({@link DroppingPortal}). */
    NFT("nft", "nftables");

    /** Searched after PATH: the daemons live in sbin, which a non-login PATH may lack. */
    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin");

    private final String program;
    private final String debianPackage;
    private volatile Path resolved;

    Tool(String program, String debianPackage) {
        this.program = program;
        this.debianPackage = debianPackage;
    }

    public String program() {
        return program;
    }

    public String debianPackage() {
        return debianPackage;
    }

    /** The executable's absolute path; throws {@link PeerException} naming the package when missing. */
    public Path path() {
        Path p = resolved;
        if (p == null) {
            p = search().orElseThrow(() -> new PeerException(program + " is not installed (searched " + String.join(":", searchDirs())
                    + "): install the Debian package '" + debianPackage + "' (apt-get install " + debianPackage
                    + "; dev/test installs it)"));
            resolved = p;
        }
        return p;
    }

    /** Fails unless every tool given is installed; all missing packages in one message. */
    public static void require(Tool... tools) {
        Set<String> missing = new LinkedHashSet<>();
        List<String> programs = new ArrayList<>();
        for (Tool t : tools) {
            if (t.search().isEmpty()) {
                missing.add(t.debianPackage);
                programs.add(t.program);
            }
        }
        if (!missing.isEmpty()) {
            throw new PeerException("missing " + String.join(", ", programs) + ": install the Debian package(s) "
                    + String.join(" ", missing) + " (apt-get install " + String.join(" ", missing) + "; dev/test installs them)");
        }
    }

    /** QEMU's iSCSI block driver is a module of its own package; qemu-img alone cannot open iscsi:// URLs. */
    public static void requireQemuIscsiDriver() {
        QEMU_IMG.path();
        try (DirectoryStream<Path> libs = Files.newDirectoryStream(Path.of("/usr/lib"))) {
            for (Path lib : libs) {
                if (Files.isRegularFile(lib.resolve("qemu/block-iscsi.so"))) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new PeerException("cannot look for QEMU's iSCSI driver under /usr/lib: " + e.getMessage(), e);
        }
        throw new PeerException("QEMU's iSCSI block driver (/usr/lib/*/qemu/block-iscsi.so) is not installed: install the Debian package "
                + "'qemu-block-extra' (apt-get install qemu-block-extra; dev/test installs it)");
    }

    private Optional<Path> search() {
        for (String dir : searchDirs()) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    private static List<String> searchDirs() {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(EXTRA_DIRS);
        return new ArrayList<>(dirs);
    }
}
