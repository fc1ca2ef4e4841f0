package org.kiscsi.tools.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.tools.lun.UsageException;
import org.kiscsi.tools.url.UrlException;

/**
 * A LUN tool's frame: common options, help, and how failures end: a message on standard error naming
 * what failed and where, and the exit code (1 usage, else open-iscsi's {@link IscsiError} codes).
 */
abstract class Tool {
    static final int EXIT_USAGE = 1;

    /** The tool's name, e.g. {@code kiscsi-inq}. */
    abstract String name();

    /** The usage lines before the common options. */
    abstract String usage();

    /** The tool's own options that take a value. */
    List<String> optionsWithValue() {
        return List.of();
    }

    /** Runs with the common options parsed; returns the exit code. */
    abstract int run(ToolOptions o, PrintStream out, PrintStream err, Map<String, String> env);

    /** Runs the tool as {@code main} does, without exiting: the exit code. */
    final int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        ToolOptions o;
        try {
            o = ToolOptions.parse(name(), args, optionsWithValue());
        } catch (ToolOptions.UsageException e) {
            err.println(name() + ": " + e.getMessage() + " (" + name() + " --help)");
            return EXIT_USAGE;
        }
        if (o.help) {
            out.print(o.help(usage()));
            return 0;
        }
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", o.debug ? "debug" : "warn");
        }
        try {
            return run(o, out, err, env);
        } catch (UsageException | UrlException e) {
            err.println(name() + ": " + e.getMessage());
            return EXIT_USAGE;
        } catch (IscsiException e) {
            err.println(name() + ": " + e.getMessage());
            return code(e);
        } catch (UncheckedIOException e) {
            err.println(name() + ": " + e.getMessage() + ": " + e.getCause().getMessage());
            return IscsiError.GENERIC.code();
        }
    }

    private static int code(IscsiException e) {
        return e.error() == IscsiError.OK ? IscsiError.GENERIC.code() : e.error().code();
    }

    /** The one URL argument left after the options, or a usage error. */
    static String oneUrl(ToolOptions o, String tool) {
        if (o.rest.isEmpty()) {
            throw new ToolOptions.UsageException("no URL given");
        }
        for (String a : o.rest) {
            if (a.startsWith("-")) {
                throw new ToolOptions.UsageException("unknown option " + a);
            }
        }
        if (o.rest.size() > 1) {
            throw new ToolOptions.UsageException("one URL, not " + o.rest.size() + " arguments: "
                    + String.join(" ", o.rest.stream().map(org.kiscsi.tools.url.IscsiUrlParser::redact).toList()));
        }
        return o.rest.get(0);
    }

    static void exit(Tool t, String[] args) {
        int rc = t.execute(args, System.out, System.err, System.getenv());
        System.out.flush();
        System.exit(rc);
    }
}
