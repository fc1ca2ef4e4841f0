package org.kiscsi.testkit.proxy;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.kiscsi.api.Portal;
import org.kiscsi.protocol.PduStream;
import org.kiscsi.protocol.pdu.DataIn;
import org.kiscsi.protocol.pdu.InitiatorPdu;
import org.kiscsi.protocol.pdu.LoginRequest;
import org.kiscsi.protocol.pdu.LoginResponse;
import org.kiscsi.protocol.pdu.LunField;
import org.kiscsi.protocol.pdu.PduCodec;
import org.kiscsi.protocol.pdu.ScsiCommand;
import org.kiscsi.protocol.pdu.ScsiResponse;
import org.kiscsi.protocol.pdu.TargetPdu;

/** An initiator speaking PDUs from a plain socket: one-PDU logins and single SCSI commands. */
final class RawInitiator implements AutoCloseable {
    static final String TARGET = "iqn.2026-11.org.kiscsi.test:disk";
    private static final int READ_TIMEOUT_MILLIS = 3000;

    final Socket socket;
    private final PduStream stream = new PduStream("proxy");
    private int itt = 1;
    private int cmdSn = 1;
    private int expStatSn;

    private RawInitiator(Socket socket) {
        this.socket = socket;
    }

    static RawInitiator connect(Portal portal) throws IOException {
        Socket s = new Socket();
        s.connect(portal.toSocketAddress(), 2000);
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        s.setTcpNoDelay(true);
        return new RawInitiator(s);
    }

    /**
     * Logs in with one Login Request (operational stage straight to full feature) carrying
     * {@code extraKeys}; after a final success the digests the target answered are used.
     */
    LoginResponse login(long isid, int tsih, int cid, String... extraKeys) throws IOException {
        StringBuilder text = new StringBuilder("InitiatorName=iqn.2026-11.org.kiscsi.test:initiator\0TargetName=" + TARGET
                + "\0SessionType=Normal\0");
        for (String k : extraKeys) {
            text.append(k).append('\0');
        }
        send(new LoginRequest(true, false, 1, 3, 0, 0, isid, tsih, itt++, cid, cmdSn, 0,
                ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8))));
        LoginResponse r = (LoginResponse) read();
        expStatSn = r.statSn() + 1;
        if (r.transit() && r.nsg() == 3 && r.status() == 0) {
            Map<String, String> keys = keys(r);
            stream.configure("CRC32C".equals(keys.get("HeaderDigest")), "CRC32C".equals(keys.get("DataDigest")), 1 << 20);
        }
        return r;
    }

    static Map<String, String> keys(LoginResponse r) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String kv : StandardCharsets.UTF_8.decode(r.data().duplicate()).toString().split("\0")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                keys.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return keys;
    }

    /** Sends a command to LUN 0 (non-immediate, next CmdSN and ITT); returns it. */
    ScsiCommand command(byte[] cdb, boolean read, int expectedLength, byte[] immediateData) throws IOException {
        boolean write = immediateData != null;
        ScsiCommand c = new ScsiCommand(true, read, write, 0, LunField.encode(0), itt++, expectedLength, cmdSn++, expStatSn, cdb, -1,
                write ? ByteBuffer.wrap(immediateData) : null);
        send(c);
        return c;
    }

    /** Sends a write to LUN 0 whose data waits for the target's R2T. */
    ScsiCommand solicitedWrite(byte[] cdb, int length) throws IOException {
        ScsiCommand c = new ScsiCommand(true, false, true, 0, LunField.encode(0), itt++, length, cmdSn++, expStatSn, cdb, -1, null);
        send(c);
        return c;
    }

    void send(InitiatorPdu pdu) throws IOException {
        stream.write(socket.getOutputStream(), PduCodec.encodeHeader(pdu), pdu.data());
    }

    TargetPdu read() throws IOException {
        PduStream.Frame f = stream.read(socket.getInputStream());
        if (f == null) {
            throw PduStream.endOfStream("proxy");
        }
        if (!f.dataDigestOk()) {
            throw new IOException("data digest error in a PDU from the proxy");
        }
        return PduCodec.decodeTargetPdu(f.header(), f.data());
    }

    /** Reads until the status of {@code itt}; returns the data that came with it (Data-In), SCSI status in {@code status[0]}. */
    ByteBuffer awaitStatus(int itt, int[] status) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(1 << 16);
        while (true) {
            TargetPdu p = read();
            if (p instanceof DataIn d && d.itt() == itt) {
                data.put(d.bufferOffset(), d.data().duplicate(), 0, d.data().remaining());
                data.position(Math.max(data.position(), d.bufferOffset() + d.data().remaining()));
                if (d.hasStatus()) {
                    status[0] = d.status();
                    expStatSn = d.statSn() + 1;
                    return data.flip();
                }
            } else if (p instanceof ScsiResponse r && r.itt() == itt) {
                status[0] = r.status();
                expStatSn = r.statSn() + 1;
                return data.flip();
            }
        }
    }

    /** SCSI status of the command with {@code itt}. */
    int awaitStatus(int itt) throws IOException {
        int[] status = new int[1];
        awaitStatus(itt, status);
        return status[0];
    }

    /** Whether the peer ended the connection (end of stream or reset) within the read timeout. */
    boolean endedByPeer() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
