package org.kiscsi.iscsid.internal.mgmt;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

import org.kiscsi.mgmt.MgmtClient;
import org.kiscsi.mgmt.MgmtOp;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;

/**
 * Looks at what is at the socket path before binding: nothing, a stale socket left by a daemon that
 * died (removed), or a live daemon that answers (never removed: the new daemon refuses instead).
 */
final class SocketProbe {
    private SocketProbe() {
    }

    /**
     * Clears the way for binding {@code socket}.
     *
     * @return true when a stale socket was removed
     * @throws SocketInUseException when a daemon answers there, or the path is not a socket
     */
    static boolean clear(Path socket, Duration timeout) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
        if (!a.isOther()) {
            throw new SocketInUseException(socket + " exists and is not a socket; not touching it");
        }
        try {
            MgmtResponse r = new MgmtClient(socket, timeout).call(MgmtRequest.of(MgmtOp.STATUS));
            String pid = r.rows().isEmpty() ? null : r.rows().get(0).get("iscsid.pid");
            throw new SocketInUseException("another iscsid" + (pid == null ? "" : " (pid " + pid + ")")
                    + " answers on " + socket + "; not starting a second daemon on it");
        } catch (ConnectException e) {
            Files.deleteIfExists(socket);
            return true;
        } catch (SocketTimeoutException e) {
            throw new SocketInUseException("something accepts connections on " + socket
                    + " but does not answer; not removing it");
        } catch (SocketInUseException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketInUseException("something that is not iscsid listens on " + socket + " (" + e.getMessage()
                    + "); not removing it");
        }
    }
}
