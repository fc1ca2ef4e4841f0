package org.kiscsi.discovery.isns.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/**
 * One TCP connection to an iSNS server, used by one thread at a time: requests go out, the
 * response with the same transaction id comes back (over one or more PDUs). Every read and the
 * connect are bounded by the timeout; the calls block, so they run on the discovery's own threads.
 */
public final class IsnsConnection implements AutoCloseable {
    private static final String[] STATUS = {"Successful", "Unknown Error", "Message Format Error", "Invalid Registration",
        "Reserved", "Invalid Query", "Source Unknown", "Source Absent", "Source Unauthorized", "No Such Entry",
        "Version Not Supported", "Internal Error", "Busy", "Option Not Understood", "Invalid Update",
        "Message Not Supported", "SCN Event Rejected", "SCN Registration Rejected", "Attribute Not Implemented",
        "FC_DOMAIN_ID Not Available", "FC_DOMAIN_ID Not Allocated", "ESI Not Available", "Invalid Deregistration",
        "Registration Feature Not Supported"};

    private final String server;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextXid = 1;

    private IsnsConnection(String server, Socket socket) throws IOException {
        this.server = server;
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects; an unreachable server fails with {@code ISNS_UNAVAILABLE} (exit 17) naming it. */
    public static IsnsConnection open(InetSocketAddress address, Duration timeout) {
        String server = "iSNS server " + address.getHostString() + ":" + address.getPort();
        Socket s = new Socket();
        try {
            s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            s.setTcpNoDelay(true);
            s.connect(address, (int) Math.max(1, timeout.toMillis()));
            return new IsnsConnection(server, s);
        } catch (IOException e) {
            closeQuietly(s);
            throw new IscsiException(IscsiError.ISNS_UNAVAILABLE, server + ": cannot connect: " + e.getMessage(), e);
        }
    }

    /** The address this connection leaves from: where the server can call us back. */
    public java.net.InetAddress localAddress() {
        return socket.getLocalAddress();
    }

    public String server() {
        return server;
    }

    /**
     * Sends a request and returns the response's attributes; a non-zero status fails with
     * {@code failure} (query or registration) naming the status. Malformed answers, a wrong function
     * or transaction id, and silence past the timeout fail naming the server and what was wrong.
     */
    public IsnsPdu exchange(int function, int flags, List<IsnsTlv> attributes, IscsiError failure) {
        int xid = nextXid++ & 0xffff;
        IsnsPdu request = IsnsPdu.request(function, IsnsPdu.F_CLIENT | IsnsPdu.F_FIRST | IsnsPdu.F_LAST | flags, xid, attributes);
        String what = server + ": " + IsnsPdu.name(function);
        try {
            out.write(request.encode());
            out.flush();
            List<IsnsTlv> all = new ArrayList<>();
            IsnsPdu first = null;
            for (int seq = 0;; seq++) {
                IsnsPdu r = read(in);
                if (r.function() != (function | IsnsPdu.RESPONSE) || r.xid() != xid) {
                    throw new IsnsFormatException("answered with " + IsnsPdu.name(r.function()) + " xid " + r.xid()
                            + " to xid " + xid);
                }
                if (r.seq() != seq) {
                    throw new IsnsFormatException("response PDU with sequence id " + r.seq() + ", expected " + seq);
                }
                first = first == null ? r : first;
                all.addAll(r.attributes());
                if ((r.flags() & IsnsPdu.F_LAST) != 0) {
                    break;
                }
            }
            if (first.status() != 0) {
                throw new IsnsStatusException(failure, what + " failed: status " + first.status() + " (" + statusName(first.status())
                        + ")", first.status());
            }
            return IsnsPdu.response(request, first.flags(), 0, all);
        } catch (SocketTimeoutException e) {
            throw new IscsiException(IscsiError.ISNS_UNAVAILABLE, what + ": no answer within " + soTimeout() + " ms");
        } catch (EOFException e) {
            throw new IscsiException(IscsiError.ISNS_UNAVAILABLE, what + ": the server closed the connection before answering");
        } catch (IOException e) {
            throw new IscsiException(IscsiError.ISNS_UNAVAILABLE, what + ": " + e.getMessage(), e);
        } catch (IsnsFormatException e) {
            throw new IscsiException(failure, what + ": bad answer: " + e.getMessage(), e);
        }
    }

    /** Reads one whole PDU (header, then the payload it announces). */
    public static IsnsPdu read(InputStream input) throws IOException {
        DataInputStream din = input instanceof DataInputStream d ? d : new DataInputStream(input);
        byte[] header = new byte[IsnsPdu.HEADER];
        din.readFully(header);
        byte[] payload = new byte[IsnsPdu.payloadLength(header)];
        din.readFully(payload);
        return IsnsPdu.decode(header, payload);
    }

    private int soTimeout() {
        try {
            return socket.getSoTimeout();
        } catch (IOException e) {
            return -1;
        }
    }

    public static String statusName(int status) {
        return status >= 0 && status < STATUS.length ? STATUS[status] : "unknown status";
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
    }
}
