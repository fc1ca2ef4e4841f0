package org.kiscsi.iscsiadm.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.kiscsi.mgmt.version.BuildVersion;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.IscsiManagement;

/**
 * kiscsi's iscsiadm: open-iscsi 2.1.8's command line for the discovery, discoverydb, node, session,
 * iface and host modes,
 * over the daemon's typed management service ({@link IscsiManagement}, reached through the
 * management socket), printing what 2.1.8 prints (org.kiscsi.mgmt.text). {@code -m daemon} and
 * {@code -k} use the plain daemon client. Exit codes are iscsiadm's (ISCSI_ERR_*): 20 when no daemon
 * answers.
 */
public final class Iscsiadm {
    /** Every mode, by name. */
    static final Map<String, Mode> MODES = modes(new DaemonMode(), new DiscoveryMode(), new DiscoverydbMode(),
            new NodeMode(), new SessionMode(), new IfaceMode(), new HostMode());
    /** Options that work without -m. */
    private static final Set<Option> GLOBAL = Set.of(Option.HELP, Option.VERSION, Option.KILL_ISCSID, Option.DEBUG);
    private static final Duration STOP_WAIT = Duration.ofSeconds(130);

    private final PrintStream out;
    private final PrintStream err;
    private final Path socket;
    private final Function<Path, IscsiManagement> management;

    /**
     * @param socket the daemon's management socket
     * @param management makes the management service that talks to the daemon on that socket; called
     *        at most once per run, and only by modes that need it
     */
    public Iscsiadm(PrintStream out, PrintStream err, Path socket, Function<Path, IscsiManagement> management) {
        this.out = out;
        this.err = err;
        this.socket = socket;
        this.management = management;
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
            rc = new Iscsiadm(System.out, System.err, DaemonClient.socketOf(base, etc), Iscsiadm::remote).run(args);
        } catch (ClientException e) {
            System.err.println("iscsiadm: " + e.getMessage());
            rc = e.exitCode();
        }
        System.exit(rc);
    }

    /** The management service over the daemon's socket (the socket protocol's client proxy). */
    static IscsiManagement remote(Path socket) {
        return new DaemonClient(socket, Env.REQUEST_TIMEOUT).management();
    }

    public int run(String... args) {
        try {
            return dispatch(CommandLine.parse(args));
        } catch (ClientException e) {
            err.print(org.kiscsi.mgmt.text.Words.errorLine(e.getMessage()));
            if (e.tryHelp()) {
                err.println("Try `iscsiadm --help' for more information.");
            }
            return e.exitCode();
        } catch (IscsiException e) {
            err.print(org.kiscsi.mgmt.text.Words.errorLine(e.getMessage()));
            return e.error().code();
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
        Env env = new Env(out, err, () -> new DaemonClient(socket, Env.REQUEST_TIMEOUT), () -> management.apply(socket));
        if (line.has(Option.KILL_ISCSID)) {
            refuseOthers(line, GLOBAL, null);
            return new StopDaemon(STOP_WAIT).run(line.value(Option.KILL_ISCSID).orElse("0"), env.daemon());
        }
        if (!line.has(Option.MODE)) {
            throw ClientException.usage("no mode specified");
        }
        String name = line.value(Option.MODE).orElse("");
        if (name.equals("fw")) {
            throw new ClientException(IscsiError.OP_NOT_SUPP, "fw mode reads boot targets from the firmware (iBFT)"
                    + " through the kernel; kiscsi is a user-space initiator and cannot boot from iSCSI");
        }
        Mode mode = MODES.get(name);
        if (mode == null) {
            throw new ClientException(IscsiError.INVAL, "invalid mode '" + name + "' (kiscsi has: "
                    + String.join(", ", MODES.keySet()) + ")");
        }
        refuseOthers(line, mode.options(), mode.checkedName());
        return mode.run(line, env);
    }

    /** 2.1.8's {@code verify_mode_params}; {@code mode} null for -k. */
    private static void refuseOthers(CommandLine line, Set<Option> allowed, String mode) throws ClientException {
        for (Option o : line.given()) {
            if (o != Option.MODE && !allowed.contains(o) && o != Option.DEBUG) {
                throw new ClientException(IscsiError.INVAL, mode == null ? "option " + o.display() + " is not allowed with -k"
                        : mode + " mode: option '-" + o.shortName() + "' is not allowed/supported");
            }
        }
    }

    static String usage() {
        return String.join("\n",
                "Usage: iscsiadm [OPTION]",
                "",
                "iscsiadm -m discoverydb [-d debug_level] [-P printlevel] [-t type -p ip:port -I ifaceN ... [-Dl]]"
                        + " | [[-p ip:port -t type] [-o operation] [-n name] [-v value] [-lD]]",
                "iscsiadm -m discovery [-d debug_level] [-P printlevel] [-t type -p ip:port -I ifaceN ... [-l]]"
                        + " | [[-p ip:port] [-l | -D]]",
                "iscsiadm -m node [-d debug_level] [-P printlevel] [-L all,manual,automatic,onboot] [-W]"
                        + " [-U all,manual,automatic] [-S] [[-T targetname -p ip:port -I ifaceN ...] [-l | -u | -R | -s]]"
                        + " [[-o operation] [-n name] [-v value]]",
                "iscsiadm -m session [-d debug_level] [-P printlevel] [-r sessionid [-R | -u | -s] [-o operation]"
                        + " [-n name] [-v value]] [-S]",
                "iscsiadm -m iface [-d debug_level] [-P printlevel] [-I ifacename] [[-o operation] [-n name] [-v value]]",
                "iscsiadm -m host [-P printlevel] [-H hostno]",
                "iscsiadm -m daemon         the daemon's status (kiscsi)",
                "iscsiadm -k 0              stop the daemon and wait until it is gone",
                "iscsiadm -h | -V",
                "",
                "Discovery (-t sendtargets|st, isns): without -o, records of portals found are added or updated and",
                "records of this discovery source not found any more are deleted; -o new|update|delete|nonpersistent",
                "choose (nonpersistent writes nothing); -l logs in to what was found.",
                "Operations (-o): new, delete, update, show. A node record is one target portal reached through one",
                "iface; -n/-v pairs apply in order. -S shows secrets that show output masks.",
                "A kiscsi host (-m host) is a transport instance (tcp, ...), not a kernel SCSI host: kiscsi runs in",
                "user space and has no /dev/sdX; -m session -P 3 lists each LUN's type, vendor, product and capacity.",
                "Modes that need a kernel or an offload card (-m fw, -m host -C chap|flashnode|stats, iface ping,",
                "apply) exit 27 (operation not supported).",
                "",
                "Exit codes are open-iscsi's: 0 success, 7 invalid argument, 15 session exists, 20 no daemon answers,",
                "21 nothing found, 24 authentication failed, 27 not supported, ...",
                "");
    }

    static String version() {
        return BuildVersion.get();
    }
}
