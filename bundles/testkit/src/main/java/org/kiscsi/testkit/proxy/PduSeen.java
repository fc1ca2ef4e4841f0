package org.kiscsi.testkit.proxy;

import org.kiscsi.protocol.Opcode;

/**
 * A PDU the proxy read from one side. A PDU the proxy cut the connections at is recorded too.
 *
 * @param connection index of the proxied connection, 0 for the first one accepted
 * @param direction which way it was going
 * @param opcode its opcode, or null when the opcode bits are not one RFC 7143 defines
 * @param itt its Initiator Task Tag
 * @param cmdSn BHS bytes 24..27 of an initiator PDU (CmdSN, reserved in Data-Out); 0 for target PDUs
 * @param dataLength its DataSegmentLength
 * @param nanoTime when the proxy passed it on (or cut at it), after any stall, as {@link System#nanoTime()}
 */
public record PduSeen(int connection, FaultProxy.Direction direction, Opcode opcode, int itt, int cmdSn, int dataLength,
        long nanoTime) {
}
