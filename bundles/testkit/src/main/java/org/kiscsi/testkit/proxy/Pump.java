package org.kiscsi.testkit.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.kiscsi.protocol.Opcode;
import org.kiscsi.testkit.proxy.FaultProxy.Direction;

/** Moves one direction of a proxied connection, PDU by PDU, through the proxy's faults. */
final class Pump implements Runnable {
    private static final int RAW_CHUNK = 64 * 1024;

    private final FaultProxy proxy;
    private final ProxiedConnection connection;
    private final Direction direction;
    private final InputStream in;
    private final OutputStream out;

    Pump(FaultProxy proxy, ProxiedConnection connection, Direction direction, InputStream in, OutputStream out) {
        this.proxy = proxy;
        this.connection = connection;
        this.direction = direction;
        this.in = in;
        this.out = out;
    }

    @Override
    public void run() {
        boolean clean = false;
        try {
            clean = pumpPdus();
        } catch (IOException e) {
            // a peer reset its side, or the proxy closed the sockets (cut, close): the pair ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connection.pumpEnded(direction, clean);
        }
    }

    /** @return true when the source ended cleanly, false when the connection was cut or closed */
    private boolean pumpPdus() throws IOException, InterruptedException {
        FrameReader reader = new FrameReader(in, connection.digests());
        while (open()) {
            FrameReader.Result r = reader.next();
            if (!open()) {
                return false;
            }
            if (r instanceof FrameReader.End) {
                return true;
            }
            if (r instanceof FrameReader.Unframed u) {
                out.write(u.bytes());
                out.flush();
                return u.endOfStream() || copyRaw();
            }
            WireFrame f = ((FrameReader.Pdu) r).frame();
            FaultProxy.Verdict v = proxy.pass(connection, direction, f);
            if (v == FaultProxy.Verdict.CUT) {
                return false;
            }
            if (v == FaultProxy.Verdict.DROP) {
                continue;
            }
            if (direction == Direction.TO_INITIATOR && f.opcode() == Opcode.LOGIN_RESPONSE) {
                // before forwarding: the initiator's first full feature PDU must be read with the new digests
                connection.digests().loginResponse(f);
            }
            out.write(f.bytes());
            out.flush();
        }
        return false;
    }

    /** Past bytes the reader would not frame, the rest of the stream goes through unparsed. */
    private boolean copyRaw() throws IOException, InterruptedException {
        byte[] buf = new byte[RAW_CHUNK];
        while (open()) {
            int n = in.read(buf);
            if (n < 0) {
                return true;
            }
            if (!open()) {
                return false;
            }
            out.write(buf, 0, n);
            out.flush();
        }
        return false;
    }

    private boolean open() throws InterruptedException {
        return proxy.gate().pass(connection::closed);
    }
}
