package org.kiscsi.iscsid.internal.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files the daemon creates are 0600 and its directories 0700: iscsid's {@code umask(0177)}, made safe
 * for directories (a 0177 umask would leave them unsearchable). A JVM cannot set its umask, so the
 * modes are given at creation; bin/iscsid also runs the JVM under umask 077 for what others create.
 */
public final class FileModes {
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private FileModes() {
    }

    public static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }

    public static FileAttribute<Set<PosixFilePermission>> directoryAttribute() {
        return PosixFilePermissions.asFileAttribute(DIRECTORY);
    }

    /** Creates {@code dir} and its missing parents, each new one 0700 (existing ones are left as they are). */
    public static void createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return;
        }
        Path parent = abs.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(abs, directoryAttribute());
            // the umask may have taken bits away, never added any; set exactly 0700
            Files.setPosixFilePermissions(abs, DIRECTORY);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw new IOException(abs + " exists and is not a directory");
            }
        }
    }

    /**
     * Makes {@code dir} (created when missing) a directory only its owner can enter: 0700. An
     * existing directory with more bits is tightened when this process owns it, else refused.
     *
     * @return true when the mode had to be tightened
     */
    public static boolean ensurePrivateDirectory(Path dir) throws IOException {
        createDirectories(dir);
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir);
        Set<PosixFilePermission> extra = EnumSet.copyOf(now);
        extra.removeAll(DIRECTORY);
        if (extra.isEmpty()) {
            return false;
        }
        try {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        } catch (IOException e) {
            throw new IOException("directory " + dir + " is open to others (" + PosixFilePermissions.toString(now)
                    + ") and cannot be made 0700: " + e.getMessage(), e);
        }
        return true;
    }

    /**
     * Writes {@code content} to {@code file} (0600) through a temporary file in the same directory
     * and an atomic rename, so a reader sees the old or the new content, never half of it.
     */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", fileAttribute());
        try {
            Files.write(tmp, content);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
