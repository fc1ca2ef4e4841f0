package org.kiscsi.export.nbd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where a Unix socket may live: in a directory only its owner can enter (0700, created so where it is
 * missing), as a socket only its owner can use (0600). A stale socket file nobody listens on is replaced.
 */
final class UnixSockets {
    private UnixSockets() {
    }

    static Path prepare(Path path) {
        Path socket = path.toAbsolutePath();
        Path dir = socket.getParent();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
            if (!PosixFilePermissions.toString(mode).endsWith("------")) {
                throw new IllegalArgumentException("NBD socket " + socket + ": its directory " + dir + " has mode "
                        + PosixFilePermissions.toString(mode) + "; the socket belongs in a directory of mode 0700 (rwx------)");
            }
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                if (!isSocket(socket)) {
                    throw new IllegalArgumentException("NBD socket " + socket + ": a file that is not a socket is there");
                }
                if (listening(socket)) {
                    throw new IllegalArgumentException("NBD socket " + socket + ": another server listens there");
                }
                Files.delete(socket);
            }
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("NBD socket " + socket + ": " + e.getMessage(), e);
        }
    }

    static void restrict(Path socket) throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    }

    static void remove(Path socket) {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // nothing listens there any more; a stale file is replaced at the next start
        }
    }

    private static boolean isSocket(Path p) throws IOException {
        return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
    }

    private static boolean listening(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
