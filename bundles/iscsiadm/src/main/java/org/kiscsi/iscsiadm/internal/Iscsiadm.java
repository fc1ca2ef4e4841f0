package org.kiscsi.iscsiadm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.kiscsi.api.IscsiError;

/**
 * kiscsi's iscsiadm: open-iscsi's command line where kiscsi has the feature, talking to the daemon
 * over its management socket. Modes come from a table ({@link #MODES}); each names the options it
 * takes. Exit codes are iscsiadm's (ISCSI_ERR_*): 20 when no daemon answers.
 */
public final class Iscsiadm {
    /** Every mode, by name. Later issues add node, session, discovery, iface. */
    static final Map<String, Mode> MODES = modes(new DaemonMode(), new NodeMode(), new SessionMode());
    /** Options that work without -m. */
    private static final Set<Option> GLOBAL = Set.of(Option.HELP, Option.VERSION, Option.KILL_ISCSID, Option.DEBUG);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(130);
    private static final Duration STOP_WAIT = Duration.ofSeconds(130);

    private final PrintStream out;
    private final PrintStream err;
    private final Path socket;

    Iscsiadm(PrintStream out, PrintStream err, Path socket) {
        this.out = out;
        this.err = err;
        this.socket = socket;
    }

    private static Map<String, Mode> modes(Mode... all) {
        Map<String, Mode> m = new LinkedHashMap<>();
        for (Mode mode : all) {
            m.put(mode.name(), mode);
        }
        return m;
    }

    public static void main(String[] args) {
        int rc;
        try {
            Path base = Path.of(System.getProperty("karaf.base", "."));
            Path etc = Path.of(System.getProperty("karaf.etc", base.resolve("etc").toString()));
            rc = new Iscsiadm(System.out, System.err, DaemonClient.socketOf(base, etc)).run(args);
        } catch (ClientException e) {
            System.err.println("iscsiadm: " + e.getMessage());
            rc = e.exitCode();
        }
        System.exit(rc);
    }

    int run(String... args) {
        try {
            return dispatch(CommandLine.parse(args));
        } catch (ClientException e) {
            err.println("iscsiadm: " + e.getMessage());
            if (e.exitCode() == IscsiError.INVAL.code() && e.getMessage().contains("option")) {
                err.print(usage());
            }
            return e.exitCode();
        }
    }

    private int dispatch(CommandLine line) throws ClientException {
        if (line.has(Option.HELP)) {
            out.print(usage());
            return 0;
        }
        if (line.has(Option.VERSION)) {
            out.println("iscsiadm version " + version());
            return 0;
        }
        DaemonClient daemon = new DaemonClient(socket, REQUEST_TIMEOUT);
        if (line.has(Option.KILL_ISCSID)) {
            refuseOthers(line, GLOBAL, "-k");
            return new StopDaemon(STOP_WAIT).run(line.value(Option.KILL_ISCSID).orElse("0"), daemon);
        }
        String name = line.value(Option.MODE).orElseThrow(() -> new ClientException(IscsiError.INVAL, "no mode specified"));
        Mode mode = MODES.get(name);
        if (mode == null) {
            throw new ClientException(IscsiError.INVAL, "invalid mode '" + name + "' (kiscsi has: "
                    + String.join(", ", MODES.keySet()) + ")");
        }
        refuseOthers(line, mode.options(), "mode " + name);
        return mode.run(line, daemon, out);
    }

    private static void refuseOthers(CommandLine line, Set<Option> allowed, String what) throws ClientException {
        for (Option o : line.given()) {
            if (o != Option.MODE && !allowed.contains(o) && !(o == Option.DEBUG)) {
                throw new ClientException(IscsiError.INVAL, "option " + o.display() + " is not allowed with " + what);
            }
        }
    }

    static String usage() {
        return String.join("\n",
                "Usage: iscsiadm [OPTION]",
                "",
                "  -m daemon [-P 0]        show the daemon's status (kiscsi)",
                "  -m node -T targetname [-p ip:port] [-I iface] -l|-u",
                "                          log in to / out of the matching node records",
                "  -m session              list sessions",
                "  -m session -r sid -u    log out of session sid",
                "  -k 0, --killiscsid=0    stop the daemon and wait until it is gone",
                "  -h, --help              display this help and exit",
                "  -V, --version           display version and exit",
                "",
                "Exit codes are open-iscsi's: 0 success, 7 invalid argument, 20 no daemon answers, ...",
                "");
    }

    static String version() {
        try (InputStream in = Iscsiadm.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
