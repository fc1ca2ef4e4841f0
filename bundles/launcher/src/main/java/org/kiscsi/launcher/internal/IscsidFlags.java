package org.kiscsi.launcher.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * iscsid's command line, parsed as open-iscsi's {@code getopt_long} loop does: short options may be
 * bundled ({@code -fn}) and take their value attached or as the next word ({@code -d8}, {@code -d 8}),
 * long options take {@code --name=value} or {@code --name value} and may be shortened to any unique
 * prefix, {@code --} ends the options. Options are read in order, so {@code -h} or {@code -v} win
 * when they come before a bad option, as in iscsid.
 *
 * <p>Where kiscsi is stricter than iscsid 2.1.8 (see dev/notes/iscsid.md): the debug level must be
 * 0..8, stray arguments are rejected, and {@code -n} with {@code -p} is refused (as 2.1.8 does).
 * {@code -f} with {@code -p} is accepted: kiscsi keeps a pid file in the foreground too.
 */
public record IscsidFlags(Action action, Optional<String> config, Optional<String> initiatorName, boolean foreground,
        int debug, Optional<String> uid, Optional<String> gid, boolean noPidFile, Optional<String> pidFile) {

    /** What the command line asks for. */
    public enum Action { RUN, HELP, VERSION }

    public static final int MAX_DEBUG = 8;

    private enum Opt {
        CONFIG('c', "config", true),
        INITIATORNAME('i', "initiatorname", true),
        FOREGROUND('f', "foreground", false),
        DEBUG('d', "debug", true),
        UID('u', "uid", true),
        GID('g', "gid", true),
        NO_PID_FILE('n', "no-pid-file", false),
        PID('p', "pid", true),
        HELP('h', "help", false),
        VERSION('v', "version", false);

        final char shortName;
        final String longName;
        final boolean hasValue;

        Opt(char shortName, String longName, boolean hasValue) {
            this.shortName = shortName;
            this.longName = longName;
            this.hasValue = hasValue;
        }
    }

    /** A command line iscsid refuses: the message says why; usage follows it, exit status 1. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    public static String usage() {
        return String.join("\n",
                "Usage: iscsid [OPTION]",
                "",
                "  -c, --config=[path]     Execute in the config file (etc/iscsi/iscsid.conf).",
                "  -i, --initiatorname=[path]     read initiatorname from file (etc/iscsi/initiatorname.iscsi).",
                "  -f, --foreground        run iscsid in the foreground",
                "  -d, --debug debuglevel  print debugging information (0 info, 1-4 debug, 5-8 trace)",
                "  -u, --uid=uid           run as uid, default is current user",
                "  -g, --gid=gid           run as gid, default is current user group",
                "  -n, --no-pid-file       do not use a pid file",
                "  -p, --pid=pidfile       use pid file (default run/iscsid.pid).",
                "  -h, --help              display this help and exit",
                "  -v, --version           display version and exit",
                "");
    }

    /**
     * Parses {@code args}.
     *
     * @throws UsageException for an unknown option, a missing or bad value, a stray argument or a
     *         forbidden combination
     */
    public static IscsidFlags parse(String... args) throws UsageException {
        Builder b = new Builder();
        int i = 0;
        while (i < args.length) {
            String a = args[i++];
            if (a.equals("--")) {
                if (i < args.length) {
                    throw new UsageException("unexpected argument '" + args[i] + "'");
                }
                break;
            }
            if (a.startsWith("--")) {
                String body = a.substring(2);
                int eq = body.indexOf('=');
                String name = eq < 0 ? body : body.substring(0, eq);
                Opt o = longOption(name);
                String value = null;
                if (o.hasValue) {
                    if (eq >= 0) {
                        value = body.substring(eq + 1);
                    } else if (i < args.length) {
                        value = args[i++];
                    } else {
                        throw new UsageException("option '--" + o.longName + "' requires an argument");
                    }
                } else if (eq >= 0) {
                    throw new UsageException("option '--" + o.longName + "' doesn't allow an argument");
                }
                if (b.apply(o, value)) {
                    return b.build();
                }
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int k = 1; k < a.length(); k++) {
                    Opt o = shortOption(a.charAt(k));
                    String value = null;
                    if (o.hasValue) {
                        if (k + 1 < a.length()) {
                            value = a.substring(k + 1);
                        } else if (i < args.length) {
                            value = args[i++];
                        } else {
                            throw new UsageException("option requires an argument -- '" + o.shortName + "'");
                        }
                        k = a.length();
                    }
                    if (b.apply(o, value)) {
                        return b.build();
                    }
                }
            } else {
                throw new UsageException("unexpected argument '" + a + "'");
            }
        }
        return b.build();
    }

    private static Opt shortOption(char c) throws UsageException {
        for (Opt o : Opt.values()) {
            if (o.shortName == c) {
                return o;
            }
        }
        throw new UsageException("invalid option -- '" + c + "'");
    }

    /** An exact long name, or the one option it is a unique prefix of (getopt_long does the same). */
    private static Opt longOption(String name) throws UsageException {
        List<Opt> matches = new ArrayList<>();
        for (Opt o : Opt.values()) {
            if (o.longName.equals(name)) {
                return o;
            }
            if (!name.isEmpty() && o.longName.startsWith(name)) {
                matches.add(o);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new UsageException("unrecognized option '--" + name + "'");
        }
        throw new UsageException("option '--" + name + "' is ambiguous");
    }

    /** Accumulates options; {@link #apply} returns true when parsing stops here (help, version). */
    private static final class Builder {
        Action action = Action.RUN;
        String config;
        String initiatorName;
        boolean foreground;
        int debug;
        String uid;
        String gid;
        boolean noPidFile;
        String pidFile;

        boolean apply(Opt o, String value) throws UsageException {
            switch (o) {
                case CONFIG: config = nonEmpty(o, value); break;
                case INITIATORNAME: initiatorName = nonEmpty(o, value); break;
                case FOREGROUND: foreground = true; break;
                case DEBUG: debug = debugLevel(value); break;
                case UID: uid = nonEmpty(o, value); break;
                case GID: gid = nonEmpty(o, value); break;
                case NO_PID_FILE: noPidFile = true; break;
                case PID: pidFile = nonEmpty(o, value); break;
                case HELP: action = Action.HELP; return true;
                case VERSION: action = Action.VERSION; return true;
                default: throw new IllegalStateException(o.name());
            }
            return false;
        }

        IscsidFlags build() throws UsageException {
            if (action == Action.RUN && noPidFile && pidFile != null) {
                throw new UsageException("-n/--no-pid-file and -p/--pid exclude each other");
            }
            return new IscsidFlags(action, Optional.ofNullable(config), Optional.ofNullable(initiatorName), foreground,
                    debug, Optional.ofNullable(uid), Optional.ofNullable(gid), noPidFile, Optional.ofNullable(pidFile));
        }

        private static String nonEmpty(Opt o, String value) throws UsageException {
            if (value.isEmpty()) {
                throw new UsageException("option '--" + o.longName + "' needs a non-empty value");
            }
            return value;
        }

        private static int debugLevel(String value) throws UsageException {
            try {
                int d = Integer.parseInt(value.trim());
                if (d >= 0 && d <= MAX_DEBUG) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException("invalid debug level '" + value + "': expected 0.." + MAX_DEBUG);
        }
    }
}
