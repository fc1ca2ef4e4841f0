package org.kiscsi.testkit.loopback;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.kiscsi.api.Portal;
import org.kiscsi.protocol.Framing;
import org.kiscsi.protocol.PduStream;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.testkit.contract.EchoPeer;
import org.kiscsi.testkit.contract.Pdus;

/** The {@link EchoPeer} of the loopback transport: one thread per link framing with {@link PduStream}. */
final class LoopbackEchoPeer implements EchoPeer {
    private final LoopbackEndpoint endpoint;
    private final Set<PduStream> streams = ConcurrentHashMap.newKeySet();
    private volatile LinkSettings settings = new LinkSettings(false, false, Framing.MAX_DATA_SEGMENT_LENGTH);

    LoopbackEchoPeer(LoopbackTransport transport) {
        this.endpoint = transport.listen(this::start);
    }

    private void start(LoopbackLink link) {
        PduStream stream = new PduStream("initiator " + link.initiatorAddress());
        apply(stream, settings);
        streams.add(stream);
        Thread t = new Thread(() -> echo(link, stream), "loopback-echo " + link.initiatorAddress());
        t.setDaemon(true);
        t.start();
    }

    private void echo(LoopbackLink link, PduStream stream) {
        try (link) {
            for (PduStream.Frame f; (f = stream.read(link.in())) != null; ) {
                if (Pdus.opcode(f.header()) == Pdus.OP_LOGOUT_REQUEST) {
                    return; // the contract: a logout closes the connection without an answer
                }
                stream.write(link.out(), f.header(), f.data());
            }
        } catch (IOException e) {
            // the initiator closed or the link was cut: the echo ends with the connection
        } finally {
            streams.remove(stream);
        }
    }

    private static void apply(PduStream stream, LinkSettings s) {
        stream.configure(s.headerDigest(), s.dataDigest(), s.maxRecvDataSegmentLength());
    }

    @Override
    public Portal portal() {
        return endpoint.portal();
    }

    @Override
    public void configure(LinkSettings s) {
        settings = s;
        streams.forEach(stream -> apply(stream, s));
    }

    @Override
    public int connectionsAccepted() {
        return endpoint.connectionsAccepted();
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
