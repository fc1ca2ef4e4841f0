package org.kiscsi.tools.cli;

import java.io.Console;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.tools.url.IscsiUrl;
import org.kiscsi.tools.url.IscsiUrlParser;
import org.kiscsi.tools.url.SecretOptions;

/**
 * The options every tool takes ({@code -i/--initiator-name}, the secret sources, {@code -d/--debug},
 * {@code -t/--timeout}, {@code -h/--help}) and the arguments left for the tool itself.
 */
final class ToolOptions {
    static final String COMMON_HELP = """
              -i, --initiator-name IQN   the InitiatorName to log in with (default %s)
                  --password-file FILE   the CHAP secret of the URL's user (first line of FILE)
                  --target-password-file FILE  the target's CHAP secret for mutual CHAP
                  --password-prompt      ask for the CHAP secrets on the terminal
              -t, --timeout SECONDS      bound on each login and command (default 30)
              -d, --debug                log the engine's debug messages to standard error
              -h, --help                 this text
            URL: iscsi://[<user>[%%<password>]@]<host>[:<port>]/<target-iqn>/<lun>[?<args>]
              IPv6 hosts in brackets; args: header_digest=none|crc32c, data_digest=none|crc32c,
              auth=md5|sha1|sha-256|sha3-256, target_user=, target_password= (mutual CHAP), force_usn=
            Environment (libiscsi's): LIBISCSI_CHAP_USERNAME, LIBISCSI_CHAP_PASSWORD,
              LIBISCSI_CHAP_TARGET_USERNAME, LIBISCSI_CHAP_TARGET_PASSWORD. A password in the URL shows in
              process lists and shell history (a warning says so): prefer a file, the prompt or the environment.
            Exit codes: 0 success, 1 usage or bad URL, else open-iscsi's: 4 transport, 5 login, 7 invalid
              argument, 8 connection timed out, 13 reservation conflict, 19 login refused, 21 no such LUN,
              24 authentication failed, 28 target busy, 33 command timed out.
            """;

    final String tool;
    String initiatorName;
    Path passwordFile;
    Path targetPasswordFile;
    boolean prompt;
    boolean debug;
    boolean help;
    Duration timeout = Duration.ofSeconds(30);
    final List<String> rest = new ArrayList<>();

    ToolOptions(String tool) {
        this.tool = tool;
        this.initiatorName = "iqn.2026-11.org.kiscsi:" + tool;
    }

    /**
     * Takes the common options out of {@code args}; {@code withValue} are the tool's own options that take
     * a value (so that their values are not mistaken for the URL). Everything else is left in {@link #rest}.
     */
    static ToolOptions parse(String tool, String[] args, List<String> withValue) {
        ToolOptions o = new ToolOptions(tool);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String inline = null;
            if (a.startsWith("--") && a.indexOf('=') > 0) {
                name = a.substring(0, a.indexOf('='));
                inline = a.substring(a.indexOf('=') + 1);
            }
            switch (name) {
                case "-i", "--initiator-name" -> o.initiatorName = inline != null ? inline : value(args, ++i, name);
                case "--password-file" -> o.passwordFile = Path.of(inline != null ? inline : value(args, ++i, name));
                case "--target-password-file" -> o.targetPasswordFile = Path.of(inline != null ? inline : value(args, ++i, name));
                case "--password-prompt" -> o.prompt = true;
                case "-d", "--debug" -> o.debug = true;
                case "-h", "--help", "-?" -> o.help = true;
                case "-t", "--timeout" -> {
                    String v = inline != null ? inline : value(args, ++i, name);
                    try {
                        int s = Integer.parseInt(v);
                        if (s < 1 || s > 3600) {
                            throw new NumberFormatException();
                        }
                        o.timeout = Duration.ofSeconds(s);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--timeout takes seconds, 1..3600, not '" + v + "'");
                    }
                }
                default -> {
                    o.rest.add(a);
                    if (withValue.contains(name) && inline == null && i + 1 < args.length) {
                        o.rest.add(args[++i]);
                    }
                }
            }
        }
        if (!o.help) {
            try {
                IscsiName.of(o.initiatorName);
            } catch (IscsiException | IllegalArgumentException e) {
                throw new UsageException("-i " + o.initiatorName + ": " + e.getMessage());
            }
        }
        return o;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    SecretOptions secrets() {
        Console c = System.console();
        return new SecretOptions(passwordFile, targetPasswordFile, prompt,
                prompt ? question -> c == null ? null : c.readPassword("%s", question) : null);
    }

    /** Parses a URL of {@code form}; warns (once per URL) when it carries a secret. */
    IscsiUrl url(String text, IscsiUrlParser.Form form, Map<String, String> env, java.io.PrintStream err) {
        IscsiUrl u = IscsiUrlParser.parse(text, form, env, secrets());
        if (u.secretInUrl()) {
            err.println(tool + ": warning: the URL " + IscsiUrlParser.redact(text) + " carries a CHAP password, which shows in "
                    + "process lists and shell history; prefer --password-file, --password-prompt or LIBISCSI_CHAP_PASSWORD");
        }
        return u;
    }

    String help(String usage) {
        return usage + String.format(COMMON_HELP, initiatorName);
    }

    /** Bad arguments: exit 1 with the message and a pointer to --help. */
    static final class UsageException extends org.kiscsi.tools.lun.UsageException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
