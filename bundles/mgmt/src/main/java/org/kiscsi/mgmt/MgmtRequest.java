package org.kiscsi.mgmt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

import org.kiscsi.api.node.Secrets;

/**
 * A request to the daemon.
 *
 * @param version protocol version the request is made in
 * @param op the operation's wire name; kept as text so a daemon can answer an operation it does
 *        not know with a clear error
 * @param arguments named arguments, in order; protocol 2 carries repeated names
 *        ({@code n=k1 v=v1 n=k2 v=v2}), protocol 1 each name once
 */
public record MgmtRequest(int version, String op, List<MgmtPair> arguments) {
    public MgmtRequest {
        Objects.requireNonNull(op, "op");
        arguments = List.copyOf(arguments);
    }

    /** A request whose arguments are {@code args}, in their order (each name once). */
    public MgmtRequest(int version, String op, Map<String, String> args) {
        this(version, op, pairs(args));
    }

    /** A protocol-1 operation, sent at this side's highest version (the client falls back when the daemon is older). */
    public static MgmtRequest of(MgmtOp op, Map<String, String> args) {
        return new MgmtRequest(MgmtProtocol.VERSION, op.wireName(), args);
    }

    public static MgmtRequest of(MgmtOp op) {
        return of(op, Map.of());
    }

    /** The same request in another version. */
    public MgmtRequest inVersion(int v) {
        return v == version ? this : new MgmtRequest(v, op, arguments);
    }

    /** The arguments as a map, in order; a repeated name keeps its first value (see {@link #all}). */
    public Map<String, String> args() {
        Map<String, String> m = new LinkedHashMap<>();
        for (MgmtPair p : arguments) {
            m.putIfAbsent(p.key(), p.value());
        }
        return Collections.unmodifiableMap(m);
    }

    /** The first value of argument {@code name}, or null. */
    public String arg(String name) {
        for (MgmtPair p : arguments) {
            if (p.key().equals(name)) {
                return p.value();
            }
        }
        return null;
    }

    /** Every value of argument {@code name}, in order. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (MgmtPair p : arguments) {
            if (p.key().equals(name)) {
                out.add(p.value());
            }
        }
        return out;
    }

    /**
     * The operation and its arguments for a log line, with values that may hold secrets masked: a
     * secret key's own value, and the {@code v} that follows an {@code n} naming a secret key.
     */
    public String describe() {
        StringJoiner j = new StringJoiner(" ", op + " [", "]");
        boolean secretNext = false;
        for (MgmtPair p : arguments) {
            boolean secret = Secrets.isSecret(p.key()) || (p.key().equals("v") && secretNext);
            j.add(p.key() + "=" + (secret && !p.value().isEmpty() ? Secrets.MASK : p.value()));
            secretNext = p.key().equals("n") && Secrets.isSecret(p.value());
        }
        return j.toString();
    }

    @Override
    public String toString() {
        return "MgmtRequest[v" + version + " " + describe() + "]";
    }

    private static List<MgmtPair> pairs(Map<String, String> args) {
        List<MgmtPair> p = new ArrayList<>();
        args.forEach((k, v) -> p.add(new MgmtPair(k, v)));
        return p;
    }
}
