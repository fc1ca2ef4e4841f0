package org.kiscsi.shell.commands;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.scsi.Await;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.shell.completers.LunNumberCompleter;
import org.kiscsi.shell.completers.SessionIdCompleter;
import org.kiscsi.tools.lun.UsageException;
import org.kiscsi.tools.url.IscsiUrl;
import org.kiscsi.tools.url.IscsiUrlParser;
import org.kiscsi.tools.url.SecretOptions;
import org.kiscsi.tools.url.UrlException;

/**
 * What the {@code iscsi:lun-*} commands share: they run the LUN tools' library code
 * ({@code org.kiscsi.tools.lun}) on a session the daemon has logged in, named by {@code -r SID -l LUN} or
 * by a URL. A URL names such a session (its target and portal); the shell never logs in for it (that
 * would give a viewer's command a login and a node record), so a URL without a session, or one carrying
 * login settings (CHAP user or password, digests, {@code auth=}), is refused saying why. Failures end
 * as the tool ends: its message and exit code (1 usage, else open-iscsi's).
 */
public abstract class LunCommandSupport implements Action {
    @Reference
    IscsiManagement management;

    @Reference
    SessionManager sessions;

    @Reference
    LunService luns;

    @Option(name = "-r", aliases = "--sid", description = "The daemon's session (iscsi:session lists them)")
    @Completion(SessionIdCompleter.class)
    String sid;

    @Option(name = "-l", aliases = "--lun", description = "The LUN of the session -r names")
    @Completion(LunNumberCompleter.class)
    String lun;

    @Option(name = "-t", aliases = "--timeout", description = "Bound on each command, in seconds (1..3600, default 30)")
    int timeoutSeconds = 30;

    /** A LUN (or, with {@code lun} -1, a target) of one of the daemon's sessions. */
    record LunTarget(long sid, String target, Portal portal, long lun, String expectedSerial) {
        /** The target as the tools name it in messages: {@code iscsi://host:port/target}. */
        String targetWhere() {
            String a = portal.address();
            return "iscsi://" + (a.indexOf(':') >= 0 ? "[" + a + "]" : a) + ":" + portal.port() + "/" + target;
        }

        /** The LUN as the tools name it: {@code iscsi://host:port/target/lun}. */
        String where() {
            return targetWhere() + "/" + lun;
        }
    }

    /** The tool's name in messages, e.g. {@code iscsi:lun-inq}. */
    abstract String name();

    /** Runs the command; its exit code (0 success). */
    abstract int run(PrintStream out, PrintStream err) throws CommandException;

    @Override
    public Object execute() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        int code;
        String message = "";
        try {
            code = run(out, err);
        } catch (UsageException | UrlException e) {
            code = 1;
            message = name() + ": " + e.getMessage() + "\n";
        } catch (IscsiException e) {
            code = e.error() == IscsiError.OK ? IscsiError.GENERIC.code() : e.error().code();
            message = name() + ": " + e.getMessage() + "\n";
        } catch (UncheckedIOException e) {
            code = IscsiError.GENERIC.code();
            message = name() + ": " + e.getMessage() + ": " + e.getCause().getMessage() + "\n";
        } finally {
            out.flush();
            err.flush();
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new CommandException("Interrupted: " + message.strip());
        }
        if (code != 0) {
            throw new LunToolFailure(message, code);
        }
        return null;
    }

    Duration timeout() {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new UsageException("--timeout takes seconds, 1..3600, not '" + timeoutSeconds + "'");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    /**
     * The LUN {@code -r}/{@code -l} or {@code url} names ({@code needLun} false: a target, {@code -l} left out).
     * Exactly one of the two ways.
     */
    LunTarget target(String url, boolean needLun) {
        if (url != null && (sid != null || lun != null)) {
            throw new UsageException("give either -r SID" + (needLun ? " -l LUN" : "") + " or a URL, not both");
        }
        if (url != null) {
            return fromUrl(url, needLun);
        }
        if (sid == null) {
            throw new UsageException("no LUN given: -r SID" + (needLun ? " -l LUN" : "") + " (iscsi:session lists the sessions) or an"
                    + " iscsi:// URL of a target the daemon is logged in to");
        }
        if (lun != null && !needLun) {
            throw new UsageException("-l names a LUN; this command takes a session (-r) only");
        }
        if (needLun && lun == null) {
            throw new UsageException("-r " + sid + " needs -l LUN");
        }
        SessionDetails s = session(parseNumber("-r", sid));
        return new LunTarget(s.info().sid(), s.info().node().target().value(), s.info().node().portal(),
                needLun ? parseNumber("-l", lun) : -1, null);
    }

    private LunTarget fromUrl(String text, boolean needLun) {
        IscsiUrl u = IscsiUrlParser.parse(text, needLun ? IscsiUrlParser.Form.LUN : IscsiUrlParser.Form.ANY, Map.of(),
                SecretOptions.NONE);
        if (u.chap() != null || u.headerDigest() != null || u.dataDigest() != null || u.chapAlgorithm() != null) {
            throw new UsageException("in the shell a URL names a session the daemon has logged in with its node record's"
                    + " settings: leave out the CHAP user and password, header_digest, data_digest and auth (they are"
                    + " node record keys: iscsi:node-update)");
        }
        if (u.target() == null) {
            throw new UsageException(IscsiUrlParser.redact(text) + " names a portal; name a target the daemon is logged in to"
                    + " (iscsi:discovery lists a portal's targets)");
        }
        if (!needLun && u.lun() >= 0) {
            throw new UsageException(u.display() + " names a LUN; " + name() + " lists a target");
        }
        List<SessionDetails> all = Await.result(management.sessions(), timeout(), "the iSCSI daemon's sessions");
        for (SessionDetails s : all) {
            Portal p = s.info().node().portal();
            if (s.info().node().target().value().equals(u.target()) && p.port() == u.port()
                    && p.address().equalsIgnoreCase(u.host())) {
                return new LunTarget(s.info().sid(), u.target(), p, u.lun(), u.expectedSerial());
            }
        }
        throw new IscsiException(IscsiError.SESS_NOT_FOUND, "the iSCSI daemon has no session to " + u.target() + " at "
                + u.portal().hostPort() + "; log in first (iscsi:node-login -T " + u.target() + " -p " + u.portal().hostPort()
                + ") or give -r SID");
    }

    private SessionDetails session(long id) {
        try {
            return Await.result(management.session(id), timeout(), "session " + id);
        } catch (IscsiException e) {
            if (e.error() == IscsiError.SESS_NOT_FOUND) {
                throw new IscsiException(IscsiError.SESS_NOT_FOUND, "the iSCSI daemon has no session " + id
                        + " (iscsi:session lists them)");
            }
            throw e;
        }
    }

    static long parseNumber(String option, String text) {
        try {
            long n = Long.parseLong(text.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException(option + " takes a number, not '" + text + "'");
    }
}
