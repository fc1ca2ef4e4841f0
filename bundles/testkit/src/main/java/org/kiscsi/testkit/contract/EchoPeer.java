package org.kiscsi.testkit.contract;

import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.LinkSettings;

/**
 * The far end a transport contract test talks to. It frames PDUs by their BHS lengths (and the
 * digests of its current {@link LinkSettings}) and answers each PDU it receives:
 * <ul>
 * <li>a Logout Request (opcode 0x06) closes the connection without an answer;</li>
 * <li>any other PDU is sent back byte for byte (header, AHS, data segment).</li>
 * </ul>
 */
public interface EchoPeer extends AutoCloseable {
    /** Where to connect. */
    Portal portal();

    /** Framing to use from the next PDU on, matching what the test configures on the transport. */
    void configure(LinkSettings settings);

    /** Connections accepted so far. */
    int connectionsAccepted();

    @Override
    void close();
}
