package org.kiscsi.iscsiadm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.kiscsi.api.IscsiError;
import org.kiscsi.mgmt.MgmtClient;
import org.kiscsi.mgmt.MgmtProtocolException;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;

/**
 * The daemon as iscsiadm reaches it: the management socket named in etc/org.kiscsi.iscsid.cfg (as
 * the daemon reads it), one request per call. Failures become iscsiadm's exit codes: no daemon is
 * ISCSID_NOTCONN, no answer in time REQ_TIMEDOUT, a garbled one ISCSID_COMM, and an error answer
 * its own status.
 */
public final class DaemonClient {
    static final String CONFIG = "org.kiscsi.iscsid.cfg";
    static final String DEFAULT_SOCKET = "run/iscsid.sock";

    private final Path socket;
    private final Duration timeout;

    public DaemonClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    public Path socket() {
        return socket;
    }

    /**
     * The socket the daemon of the installation at {@code base} listens on: {@code socket} in
     * {@code etc/org.kiscsi.iscsid.cfg}, relative to {@code base}; run/iscsid.sock without one.
     */
    public static Path socketOf(Path base, Path etc) throws ClientException {
        Properties p = new Properties();
        Path cfg = etc.resolve(CONFIG);
        try (InputStream in = Files.newInputStream(cfg)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            // no settings: the daemon's defaults
        } catch (IOException e) {
            throw new ClientException(IscsiError.GENERIC, "cannot read " + cfg + ": " + e.getMessage());
        }
        String s = p.getProperty("socket", DEFAULT_SOCKET).trim();
        for (String prop : new String[] {"karaf.base", "karaf.home", "karaf.etc", "karaf.data"}) {
            String v = prop.equals("karaf.etc") ? etc.toString() : prop.equals("karaf.data") ? base.resolve("data").toString()
                    : base.toString();
            s = s.replace("${" + prop + "}", v);
        }
        return base.resolve(s.isEmpty() ? DEFAULT_SOCKET : s).toAbsolutePath().normalize();
    }

    /** The daemon's answer to a request; an error answer throws, its status the exit code. */
    public MgmtResponse call(MgmtRequest request) throws ClientException {
        MgmtResponse r = answer(request);
        if (!r.isOk()) {
            throw new ClientException(r.status(), r.message());
        }
        return r;
    }

    /**
     * The daemon's answer whatever its status, for requests whose error answers carry rows (a login
     * of several records, some up already); failing to get one still throws.
     */
    public MgmtResponse answer(MgmtRequest request) throws ClientException {
        MgmtResponse r;
        try {
            r = new MgmtClient(socket, timeout).call(request);
        } catch (ConnectException e) {
            throw new ClientException(IscsiError.ISCSID_NOTCONN, "can not connect to iSCSI daemon at " + socket + " ("
                    + cause(e) + ")");
        } catch (SocketTimeoutException e) {
            throw new ClientException(IscsiError.REQ_TIMEDOUT, "the iSCSI daemon at " + socket + " did not answer within "
                    + timeout.toSeconds() + " s");
        } catch (MgmtProtocolException e) {
            throw new ClientException(IscsiError.ISCSID_COMM, "garbled answer from the iSCSI daemon at " + socket + ": "
                    + e.getMessage());
        } catch (IOException e) {
            throw new ClientException(IscsiError.ISCSID_COMM, "talking to the iSCSI daemon at " + socket + " failed: " + e);
        }
        return r;
    }

    private static String cause(ConnectException e) {
        Throwable c = e.getCause() != null ? e.getCause() : e;
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
