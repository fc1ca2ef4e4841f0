package org.kiscsi.testkit.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One program run, immutable: arguments, extra environment, a timeout and the secrets to mask.
 * Secrets (values given to {@link #withSecretEnv} or {@link #redacting}) are replaced by
 * {@value #MASK} in {@link #toString()}, in {@link CommandResult}'s output and in every failure
 * message, so they never reach a log.
 */
public final class Command {
    public static final String MASK = "***";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private final List<String> argv;
    private final Map<String, String> env;
    private final Set<String> secretEnvNames;
    private final Set<String> secrets;
    private final Duration timeout;

    private Command(List<String> argv, Map<String, String> env, Set<String> secretEnvNames, Set<String> secrets, Duration timeout) {
        this.argv = List.copyOf(argv);
        this.env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        this.secretEnvNames = Collections.unmodifiableSet(new LinkedHashSet<>(secretEnvNames));
        this.secrets = Collections.unmodifiableSet(new LinkedHashSet<>(secrets));
        this.timeout = timeout;
    }

    public static Command of(Tool tool, String... args) {
        return of(tool.path(), List.of(args));
    }

    public static Command of(Path program, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(args);
        return new Command(argv, Map.of(), Set.of(), Set.of(), DEFAULT_TIMEOUT);
    }

    public Command withArgs(String... more) {
        return withArgs(List.of(more));
    }

    public Command withArgs(List<String> more) {
        List<String> a = new ArrayList<>(argv);
        a.addAll(more);
        return new Command(a, env, secretEnvNames, secrets, timeout);
    }

    public Command withEnv(String name, String value) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put(name, Objects.requireNonNull(value, name));
        return new Command(argv, e, secretEnvNames, secrets, timeout);
    }

    /** An environment variable whose value is a secret: shown as {@code NAME=***}, masked in output. */
    public Command withSecretEnv(String name, String secret) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put(name, Objects.requireNonNull(secret, name));
        Set<String> names = new LinkedHashSet<>(secretEnvNames);
        names.add(name);
        Set<String> s = new LinkedHashSet<>(secrets);
        s.add(secret);
        return new Command(argv, e, names, s, timeout);
    }

    /** Masks {@code secret} wherever it appears (an argument, the program's output). */
    public Command redacting(String secret) {
        if (secret == null || secret.isEmpty()) {
            return this;
        }
        Set<String> s = new LinkedHashSet<>(secrets);
        s.add(secret);
        return new Command(argv, env, secretEnvNames, s, timeout);
    }

    public Command withTimeout(Duration t) {
        if (t.isNegative() || t.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + t);
        }
        return new Command(argv, env, secretEnvNames, secrets, t);
    }

    public List<String> argv() {
        return argv;
    }

    public Map<String, String> env() {
        return env;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The program's file name, for short messages. */
    public String programName() {
        return Path.of(argv.get(0)).getFileName().toString();
    }

    /** {@code text} with every secret of this command replaced by {@value #MASK}. */
    public String redact(String text) {
        String r = text;
        for (String s : secrets) {
            r = r.replace(s, MASK);
        }
        return r;
    }

    /** Shell-like, with secrets masked: {@code TGT_IPC_SOCKET=/tmp/x tgtadm -C 1 --op show}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        env.forEach((k, v) -> b.append(k).append('=').append(secretEnvNames.contains(k) ? MASK : quote(v)).append(' '));
        b.append(programName());
        for (String a : argv.subList(1, argv.size())) {
            b.append(' ').append(quote(a));
        }
        return redact(b.toString());
    }

    private static String quote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./:=,@%+[]".indexOf(c) >= 0)) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
