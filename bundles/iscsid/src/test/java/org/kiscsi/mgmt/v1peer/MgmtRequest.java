// Management protocol version 1 as released (commit 291a091), kept unchanged to test compatibility with it.
package org.kiscsi.mgmt.v1peer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request to the daemon.
 *
 * @param version protocol version the client speaks
 * @param op the operation's wire name (see {@link MgmtOp}); kept as text so a daemon can answer an
 *        operation it does not know with a clear error
 * @param args named arguments, in order
 */
public record MgmtRequest(int version, String op, Map<String, String> args) {
    public MgmtRequest {
        Objects.requireNonNull(op, "op");
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    public static MgmtRequest of(MgmtOp op, Map<String, String> args) {
        return new MgmtRequest(MgmtProtocol.VERSION, op.wireName(), args);
    }

    public static MgmtRequest of(MgmtOp op) {
        return of(op, Map.of());
    }

    public String arg(String name) {
        return args.get(name);
    }
}
