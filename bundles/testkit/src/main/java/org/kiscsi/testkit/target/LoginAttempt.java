package org.kiscsi.testkit.target;

/**
 * A login as the test target saw it, from the first Login Request of the login.
 *
 * @param isid the 6-byte ISID as a 48-bit value
 * @param tsih the TSIH the initiator sent: 0 for a new session (or a reinstatement), else the
 *        session it adds a connection to
 * @param cid the connection ID
 */
public record LoginAttempt(long isid, int tsih, int cid) {
}
