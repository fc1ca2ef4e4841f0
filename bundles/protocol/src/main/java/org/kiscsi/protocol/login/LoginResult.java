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
 */
public record LoginResult(NegotiatedParameters parameters, int tsih, int statSn, int expCmdSn, int maxCmdSn,
        String authMethod, Map<String, String> declaredByTarget) {
    public LoginResult {
        declaredByTarget = Map.copyOf(declaredByTarget);
    }
}
