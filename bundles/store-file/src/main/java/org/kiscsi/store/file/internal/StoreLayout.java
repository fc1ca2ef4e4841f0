package org.kiscsi.store.file.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.spi.store.NodeStoreException;

/**
 * Where open-iscsi keeps each record under its root (usr/idbm.h, usr/idbm.c):
 * <pre>
 * nodes/&lt;target&gt;/&lt;ip&gt;,&lt;port&gt;,&lt;tpgt&gt;/&lt;iface&gt;   a node record whose TPGT is known
 * nodes/&lt;target&gt;/&lt;ip&gt;,&lt;port&gt;                  the file form, when the TPGT is unknown
 * send_targets/&lt;ip&gt;,&lt;port&gt;/st_config           a SendTargets discovery record (+ links to its nodes)
 * isns/&lt;ip&gt;,&lt;port&gt;/isns_config                 an iSNS discovery record (+ links)
 * static/, fw/                                   links to nodes added by hand or from firmware
 * ifaces/&lt;name&gt;                                 an iface record
 * </pre>
 * Addresses are written bare, IPv6 ones too ({@code ::1,3260,1}, {@code fe80::1%eth0,3260,1}), as
 * open-iscsi writes them. kiscsi's own files live under {@code .kiscsi/} (lock, temporary files, and
 * in {@code extra/} the keys open-iscsi does not know, at the same relative paths), which open-iscsi
 * never reads.
 */
public final class StoreLayout {
    public static final String NODES = "nodes";
    public static final String SEND_TARGETS = "send_targets";
    public static final String ISNS = "isns";
    public static final String STATIC = "static";
    public static final String FW = "fw";
    public static final String IFACES = "ifaces";
    public static final String ST_CONFIG = "st_config";
    public static final String ISNS_CONFIG = "isns_config";
    public static final String PRIVATE = ".kiscsi";

    private final Path root;

    public StoreLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path nodes() {
        return root.resolve(NODES);
    }

    public Path ifaces() {
        return root.resolve(IFACES);
    }

    public Path privateDir() {
        return root.resolve(PRIVATE);
    }

    public Path lockFile() {
        return privateDir().resolve("lock");
    }

    public Path tempDir() {
        return privateDir().resolve("tmp");
    }

    /** Where the keys open-iscsi does not know are kept for the record file {@code main}. */
    public Path extraOf(Path main) {
        return privateDir().resolve("extra").resolve(root.relativize(main));
    }

    /** The directory of a target's records, matching an existing one case-insensitively (names compare so). */
    public Path targetDir(IscsiName target) {
        return existing(nodes(), target.value()).orElse(nodes().resolve(target.value()));
    }

    /** {@code <ip>,<port>} */
    public static String portalName(Portal p) {
        return p.address() + "," + p.port();
    }

    /** {@code <ip>,<port>,<tpgt>} */
    public static String portalTpgtName(Portal p) {
        return portalName(p) + "," + p.tpgt();
    }

    /**
     * The record file of a node: {@code <ip>,<port>,<tpgt>/<iface>}, or the {@code <ip>,<port>}
     * file when the TPGT is unknown (then open-iscsi keeps one record per portal, whatever its iface).
     */
    public Path nodeFile(NodeKey key) {
        Path target = targetDir(key.target());
        Portal p = key.portal();
        if (!p.hasTpgt()) {
            return existing(target, portalName(p)).orElse(target.resolve(portalName(p)));
        }
        Path portalDir = existing(target, portalTpgtName(p)).orElse(target.resolve(portalTpgtName(p)));
        return portalDir.resolve(key.iface());
    }

    /** The discovery record file, or empty for types open-iscsi keeps no record of (static, firmware). */
    public Optional<Path> discoveryFile(DiscoveryType type, Portal address) {
        String dir;
        String file;
        switch (type) {
            case SENDTARGETS: dir = SEND_TARGETS; file = ST_CONFIG; break;
            case ISNS: dir = ISNS; file = ISNS_CONFIG; break;
            default: return Optional.empty();
        }
        Path base = root.resolve(dir);
        return Optional.of(existing(base, portalName(address)).orElse(base.resolve(portalName(address))).resolve(file));
    }

    public Path ifaceFile(String name) {
        return ifaces().resolve(name);
    }

    /** The name of a link from a discovery source to a node: {@code <target>,<ip>,<port>,<tpgt>,<iface>}. */
    public static String linkName(NodeKey key) {
        return key.target().value() + "," + portalTpgtName(key.portal()) + "," + key.iface();
    }

    /** An entry of {@code dir} named {@code name}, or one whose name equals it ignoring case. */
    static Optional<Path> existing(Path dir, String name) {
        Path exact = dir.resolve(name);
        if (Files.exists(exact, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(exact);
        }
        // the first match in sorted order, as list(dir) gives them, without building and sorting the whole
        // listing: a new target's name is looked up in nodes/ of a thousand targets once per record written
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Path first = null;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (p.getFileName().toString().equalsIgnoreCase(name) && (first == null || p.compareTo(first) < 0)) {
                    first = p;
                }
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new NodeStoreException("cannot list " + dir + ": " + e, e);
        }
        return Optional.ofNullable(first);
    }

    /** The entries of a directory, sorted; none when it does not exist (or vanished meanwhile). */
    public static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new NodeStoreException("cannot list " + dir + ": " + e, e);
        }
        out.sort(null);
        return out;
    }

    /** Whether a name can be a file name here: no separators, not hidden, not . or .. */
    public static boolean isSafeName(String name) {
        return !name.isEmpty() && name.indexOf('/') < 0 && name.indexOf('\0') < 0 && !name.startsWith(".");
    }
}
