package org.kiscsi.testkit.proxy;

import org.kiscsi.api.Isid;

/**
 * A Login Request the proxy passed from initiator to target.
 *
 * @param connection index of the proxied connection, 0 for the first one accepted
 * @param isid the ISID of the request
 * @param tsih its TSIH (0 for a new session, the session's TSIH for a reinstatement or added connection)
 * @param cid its connection ID
 * @param nanoTime when the proxy passed it on (or cut at it), after any stall, as {@link System#nanoTime()}
 */
public record LoginSeen(int connection, Isid isid, int tsih, int cid, long nanoTime) {
}
