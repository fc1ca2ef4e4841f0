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
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.mgmt.MgmtClient;
import org.kiscsi.mgmt.MgmtProtocol;
import org.kiscsi.mgmt.MgmtProtocolException;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;
import org.kiscsi.mgmt.ProtocolRangeException;
import org.kiscsi.mgmt.RemoteManagement;

/**
 * The daemon as iscsiadm reaches it: the management socket named in etc/org.kiscsi.iscsid.cfg (as
 * the daemon reads it), one request per call, at the highest protocol version both sides speak
 * (a daemon of protocol 1 is asked again in version 1). The wait follows the daemon's progress
 * frames (a login waits what its records' timeouts make its worst case); a daemon of protocol 1
 * announces nothing and gets the fixed {@code version1Wait}. Failures become iscsiadm's exit codes:
 * no daemon is ISCSID_NOTCONN, no answer in time REQ_TIMEDOUT, a garbled one ISCSID_COMM, no common
 * protocol version INVALID_MGMT_REQ, and an error answer its own status. {@link #management()} is the
 * typed service over the same socket.
 */
public final class DaemonClient {
    static final String CONFIG = "org.kiscsi.iscsid.cfg";
    static final String DEFAULT_SOCKET = "run/iscsid.sock";

    private final Path socket;
    private final MgmtClient client;
    private final RemoteManagement management;

    /** Waits for the first frame and follows the daemon's progress frames, {@code version1Wait} for a daemon of protocol 1. */
    public DaemonClient(Path socket, Duration version1Wait) {
        this(socket, new MgmtClient.Waits(MgmtClient.Waits.DEFAULT.firstFrame(), MgmtClient.Waits.DEFAULT.margin(),
                version1Wait));
    }

    public DaemonClient(Path socket, MgmtClient.Waits waits) {
        this.socket = socket;
        this.client = new MgmtClient(socket, waits);
        this.management = new RemoteManagement(client);
    }

    /** The daemon's management service, typed; its stages fail with the daemon's IscsiException. */
    public IscsiManagement management() {
        return management;
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
            r = client.negotiate(request.op(), request.arguments(), MgmtProtocol.MIN_VERSION);
        } catch (ConnectException e) {
            throw new ClientException(IscsiError.ISCSID_NOTCONN, "can not connect to iSCSI daemon at " + socket + " ("
                    + cause(e) + ")");
        } catch (SocketTimeoutException e) {
            throw new ClientException(IscsiError.REQ_TIMEDOUT, "the iSCSI daemon at " + socket + " did not answer in time: "
                    + e.getMessage());
        } catch (ProtocolRangeException e) {
            throw new ClientException(IscsiError.INVALID_MGMT_REQ, e.getMessage());
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
