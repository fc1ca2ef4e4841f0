package org.kiscsi.protocol.login;

import java.util.Map;

import org.kiscsi.protocol.text.NegotiatedParameters;

/**
 * A successful login: the connection is in full feature phase.
 *
 * @param parameters what was negotiated
 * @param tsih the target's session handle
 * @param statSn StatSN of the final Login Response (the next expected is statSn + 1)
 * @param expCmdSn the CmdSN the first command must carry
 * @param maxCmdSn the command window's upper end
 * @param authMethod the AuthMethod used
 * @param declaredByTarget everything the target declared (TargetAlias, TargetPortalGroupTag, ...)
 * @param extensionKeys the outcome of {@link LoginParameters#extensionKeys()}: each negotiated key's
 *        value, and the target's own value of each declarative one it declared; keys without an
 *        outcome (not understood, no default) are absent
 */
public record LoginResult(NegotiatedParameters parameters, int tsih, int statSn, int expCmdSn, int maxCmdSn,
        String authMethod, Map<String, String> declaredByTarget, Map<String, String> extensionKeys) {
    public LoginResult {
        declaredByTarget = Map.copyOf(declaredByTarget);
        extensionKeys = Map.copyOf(extensionKeys);
    }

    /** A result without keys beyond RFC 7143's catalogue. */
    public LoginResult(NegotiatedParameters parameters, int tsih, int statSn, int expCmdSn, int maxCmdSn,
            String authMethod, Map<String, String> declaredByTarget) {
        this(parameters, tsih, statSn, expCmdSn, maxCmdSn, authMethod, declaredByTarget, Map.of());
    }
}
