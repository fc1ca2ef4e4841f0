package org.kiscsi.tools.standalone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.Await;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.auth.chap.ChapAuthenticatorFactory;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.scsi.BlockDeviceOptions;
import org.kiscsi.scsi.SessionLunService;
import org.kiscsi.tools.lun.LunAccess;
import org.kiscsi.tools.lun.LunInquirer;
import org.kiscsi.tools.url.IscsiUrl;
import org.kiscsi.transport.tcp.TcpOptions;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * The engine wired by hand, as the standalone tools embed it (no Karaf, no daemon): TCP, CHAP and the
 * LUN service, logging in to what a URL names. {@link #close()} logs every session out. Every wait is
 * bounded by the timeout given at creation.
 */
public final class StandaloneInitiator implements AutoCloseable {
    private final TcpTransport tcp;
    private final IscsiEngine engine;
    private final SessionLunService luns;
    private final Duration timeout;
    private final List<Long> sessions = new ArrayList<>();

    public StandaloneInitiator(String initiatorName, Duration timeout) {
        this(initiatorName, timeout, TcpOptions.DEFAULTS);
    }

    public StandaloneInitiator(String initiatorName, Duration timeout, TcpOptions tcpOptions) {
        this.timeout = timeout;
        this.tcp = new TcpTransport(tcpOptions);
        this.engine = IscsiEngine.builder().initiatorName(initiatorName).transport(tcp)
                .authenticator(new ChapAuthenticatorFactory()).build();
        this.luns = new SessionLunService(engine, BlockDeviceOptions.DEFAULTS);
    }

    public IscsiEngine engine() {
        return engine;
    }

    public SessionLunService luns() {
        return luns;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Logs in to the target and portal {@code url} names; the session id. */
    public long login(IscsiUrl url) {
        return login(url, url.target(), url.portal());
    }

    /** Logs in to {@code target} at {@code portal} with {@code url}'s credentials and digests; the session id. */
    public long login(IscsiUrl url, String target, Portal portal) {
        NodeRecord r = NodeRecord.create(new NodeKey(IscsiName.of(target), portal, null), values(url));
        long sid = Await.result(engine.login(r), timeout.plusSeconds(5), "login to " + target + " at " + portal).sid();
        synchronized (sessions) {
            sessions.add(sid);
        }
        return sid;
    }

    /** The node record settings a URL asks for: credentials, digests, the CHAP algorithm; tool-sized waits. */
    static RecordValues values(IscsiUrl url) {
        long secs = 15;
        RecordValues v = RecordValues.empty().with(NodeKeys.LOGIN_TIMEOUT, Long.toString(secs))
                .with(NodeKeys.LOGOUT_TIMEOUT, "10").with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0")
                .with(NodeKeys.REPLACEMENT_TIMEOUT, "20").with(NodeKeys.CMDS_MAX, "128");
        if (url.chap() != null) {
            v = v.with(NodeKeys.AUTH_METHOD, "CHAP").with(NodeKeys.USERNAME, url.chap().user())
                    .with(NodeKeys.PASSWORD, url.chap().secret());
            if (url.targetChap() != null) {
                v = v.with(NodeKeys.USERNAME_IN, url.targetChap().user()).with(NodeKeys.PASSWORD_IN, url.targetChap().secret());
            }
        }
        if (url.chapAlgorithm() != null) {
            v = v.with(NodeKeys.CHAP_ALGS, url.chapAlgorithm());
        }
        if (url.headerDigest() != null) {
            v = v.with(NodeKeys.HEADER_DIGEST, url.headerDigest());
        }
        if (url.dataDigest() != null) {
            v = v.with(NodeKeys.DATA_DIGEST, url.dataDigest());
        }
        return v;
    }

    /**
     * Opens {@code lun} of session {@code sid} as a block device; a LUN the target does not report fails
     * with {@link IscsiError#NO_OBJS_FOUND} naming the LUNs it has.
     */
    public BlockDevice open(long sid, long lun, String where) {
        return LunAccess.open(luns, sid, lun, where, timeout);
    }

    /**
     * Logs in to the target {@code url} names and returns an INQUIRY helper over its LUN (any device type),
     * checking {@code force_usn}.
     */
    public LunInquirer inquirer(IscsiUrl url) {
        long sid = login(url);
        String target = url.display().substring(0, url.display().lastIndexOf('/'));
        LunAccess.requireLun(luns, sid, url.lun(), target, timeout);
        LunInquirer q = new LunInquirer(engine.executor(sid), url.lun(), url.display(), timeout);
        LunAccess.checkSerial(q, url.expectedSerial());
        return q;
    }

    /** Opens the LUN {@code url} names after {@link #login(IscsiUrl)}, checking {@code force_usn}. */
    public BlockDevice openLun(IscsiUrl url) {
        long sid = login(url);
        BlockDevice d = open(sid, url.lun(), url.display().substring(0, url.display().lastIndexOf('/')));
        LunAccess.checkSerial(d, url.expectedSerial(), url.display(), timeout);
        return d;
    }

    /** Logs out of {@code sid} now (the listing logs out of each target before the next). */
    public void logout(long sid) {
        synchronized (sessions) {
            if (!sessions.remove(sid)) {
                return;
            }
        }
        try {
            Await.result(engine.logout(sid), timeout, "logout of session " + sid);
        } catch (IscsiException e) {
            // the session ends with the engine anyway; a failed polite logout is not the tool's failure
        }
    }

    @Override
    public void close() {
        List<Long> open;
        synchronized (sessions) {
            open = List.copyOf(sessions);
        }
        for (long sid : open) {
            logout(sid);
        }
        luns.close();
        engine.close();
        tcp.close();
    }
}
