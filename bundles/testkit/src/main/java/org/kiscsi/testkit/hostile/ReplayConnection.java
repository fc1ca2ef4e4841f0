package org.kiscsi.testkit.hostile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.kiscsi.protocol.PduStream;
import org.kiscsi.testkit.hostile.ReplayBook.Exchange;
import org.kiscsi.testkit.hostile.SeedConversation.Event;

/**
 * One connection to the hostile target: each initiator PDU is answered with what the recorded
 * target answered to the same request, carried over to this conversation (the initiator's tags,
 * ISID and CmdSN; StatSN counted afresh), and one PDU is spoiled when the armed mutation says so.
 */
final class ReplayConnection implements Runnable {
    private static final int MAX_SEGMENT = 16 << 20;
    private static final int RESERVED = 0xFFFF_FFFF;

    private final HostileTarget target;
    private final ReplayBook book;
    private final Socket socket;
    private final PduStream reader;
    private OutputStream out;
    /** Recorded ITT to this connection's ITT. */
    private final Map<Integer, Integer> itts = new HashMap<>();
    private final Map<Integer, Integer> dataOutsSeen = new HashMap<>();
    private final List<Exchange> used = new ArrayList<>();
    private final StringBuilder loginText = new StringBuilder();
    private int logins;
    private int statSn;
    private int expCmdSn;
    private boolean fullFeature;
    private boolean headerDigest;
    private boolean dataDigest;
    private byte[] request; // the header being answered
    private byte[] requestData;
    private int texts;
    private boolean spoiledHere;
    private volatile boolean closedByUs;

    ReplayConnection(HostileTarget target, ReplayBook book, Socket socket) {
        this.target = target;
        this.book = book;
        this.socket = socket;
        this.reader = new PduStream("initiator " + socket.getRemoteSocketAddress());
        reader.configure(false, false, MAX_SEGMENT);
    }

    @Override
    public void run() {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            while (true) {
                PduStream.Frame f = reader.read(in);
                if (f == null) {
                    break;
                }
                if (!answer(bytes(f.header()), bytes(f.data()))) {
                    if (!closedByUs) {
                        drainUntilClosed(in); // stalled: read and drop everything until the initiator gives up
                    }
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the initiator closed or reset the connection, or sent what the replay cannot frame
        } finally {
            if (spoiledHere && !closedByUs) {
                target.spoiledConnectionEnded();
            }
            target.ended(this);
        }
    }

    /** Answers one initiator PDU; false when the connection is to be closed or stalled. */
    private boolean answer(byte[] h, byte[] data) throws IOException {
        request = h;
        requestData = data;
        ByteBuffer b = ByteBuffer.wrap(h);
        int op = h[0] & 0x3F;
        boolean immediate = (h[0] & 0x40) != 0;
        int itt = b.getInt(16);
        switch (op) {
            case 0x03 -> {
                expCmdSn = b.getInt(24);
                String theirs = ReplayText.value(new String(data, StandardCharsets.UTF_8), "CHAP_C");
                if (target.reflecting() && !theirs.isEmpty()) {
                    target.initiatorChallenge(theirs);
                    return false; // this login stays pending while the next is challenged with its CHAP_C
                }
                return sendLogin(book.login(logins++));
            }
            case 0x04 -> {
                cmdSn(b.getInt(24), immediate);
                Exchange x = book.text(texts++);
                if (x == null) {
                    target.unmatched("Text request");
                    return true;
                }
                itts.put(x.itt(), itt);
                return sendAll(x.answers(), true);
            }
            case 0x01 -> {
                cmdSn(b.getInt(24), immediate);
                Exchange x = book.command(ReplayBook.cdb(h), used);
                if (x == null) {
                    target.unmatched("SCSI command with CDB " + java.util.HexFormat.of().formatHex(ReplayBook.cdb(h)));
                    return true;
                }
                used.add(x);
                itts.put(x.itt(), itt);
                return sendAll(x.answers(), true);
            }
            case 0x05 -> {
                Integer recorded = recordedItt(itt);
                int n = dataOutsSeen.merge(itt, 1, Integer::sum) - 1;
                Exchange x = recorded == null ? null : book.dataOut(recorded, n);
                return x == null || sendAll(x.answers(), true);
            }
            case 0x00 -> {
                cmdSn(b.getInt(24), immediate);
                Exchange x = book.nop();
                if (itt == RESERVED || x == null) {
                    return true;
                }
                itts.put(x.itt(), itt);
                return sendAll(x.answers(), false);
            }
            case 0x06 -> {
                cmdSn(b.getInt(24), immediate);
                Exchange x = book.logout();
                if (x != null) {
                    itts.put(x.itt(), itt);
                    sendAll(x.answers(), true);
                }
                return false; // the initiator closes after the Logout Response (RFC 7143 section 11.14)
            }
            case 0x02 -> {
                cmdSn(b.getInt(24), immediate);
                return answerTaskManagement(itt);
            }
            default -> {
                target.unmatched(String.format("initiator PDU with opcode 0x%02x", op));
                return true;
            }
        }
    }

    private void cmdSn(int cmdSn, boolean immediate) {
        if (!immediate && cmdSn - expCmdSn >= 0) {
            expCmdSn = cmdSn + 1;
        }
    }

    private Integer recordedItt(int live) {
        for (Map.Entry<Integer, Integer> e : itts.entrySet()) {
            if (e.getValue() == live) {
                return e.getKey();
            }
        }
        return null;
    }

    private boolean sendLogin(Exchange x) throws IOException {
        ByteBuffer req = ByteBuffer.wrap(request);
        for (Event e : x.answers()) {
            byte[] h = e.header().clone();
            byte[] data = chapFixups(target.overrideText(e.data()));
            setDsl(h, data.length);
            ByteBuffer b = ByteBuffer.wrap(h);
            System.arraycopy(request, 8, h, 8, 6); // ISID
            if (req.getShort(14) != 0) {
                b.putShort(14, req.getShort(14)); // TSIH the initiator named
            }
            b.putInt(16, req.getInt(16));
            int window = b.getInt(32) - b.getInt(28);
            b.putInt(28, expCmdSn);
            b.putInt(32, expCmdSn + window);
            statSn = b.getInt(24) + 1;
            loginText.append(new String(data, StandardCharsets.UTF_8)).append('\0');
            boolean last = (h[1] & 0x80) != 0 && (h[1] & 0x03) == 3 && b.getShort(36) == 0;
            if (!send(h, data, true)) {
                return false;
            }
            if (last) {
                fullFeature = true;
                headerDigest = ReplayText.value(loginText.toString(), "HeaderDigest").equals("CRC32C");
                dataDigest = ReplayText.value(loginText.toString(), "DataDigest").equals("CRC32C");
                reader.configure(headerDigest, dataDigest, MAX_SEGMENT);
            }
        }
        return true;
    }

    /** The live conversation's CHAP values where a test asked for them: CHAP_R for the live challenge, a reflected CHAP_C. */
    private byte[] chapFixups(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        String reflected = target.initiatorChallenge();
        if (target.reflecting() && reflected != null && !ReplayText.value(text, "CHAP_C").isEmpty()) {
            data = ReplayText.with(data, "CHAP_C", reflected);
        }
        String secret = target.mutualSecret();
        String asked = new String(requestData, StandardCharsets.UTF_8);
        if (secret != null && !target.overridden("CHAP_R") && !ReplayText.value(text, "CHAP_R").isEmpty() && !ReplayText.value(asked, "CHAP_C").isEmpty()) {
            String r = ReplayText.chapResponse(ReplayText.value(loginText.toString(), "CHAP_A"), ReplayText.value(asked, "CHAP_I"),
                    ReplayText.value(asked, "CHAP_C"), secret);
            data = ReplayText.with(data, "CHAP_R", r);
        }
        return data;
    }

    private boolean sendAll(List<Event> answers, boolean counted) throws IOException {
        for (Event e : answers) {
            byte[] h = e.header().clone();
            ByteBuffer b = ByteBuffer.wrap(h);
            Integer live = itts.get(b.getInt(16));
            if (live != null) {
                b.putInt(16, live);
            }
            int op = h[0] & 0x3F;
            boolean status = op == 0x21 || op == 0x22 || op == 0x24 || op == 0x26 || op == 0x3F
                    || op == 0x20 && b.getInt(16) != RESERVED || op == 0x25 && (h[1] & 0x01) != 0;
            if (status) {
                b.putInt(24, statSn++);
            } else if (op == 0x31 || op == 0x20) {
                b.putInt(24, statSn);
            }
            int window = b.getInt(32) - b.getInt(28);
            b.putInt(28, expCmdSn);
            b.putInt(32, expCmdSn + window);
            if (!send(h, e.data(), counted)) {
                return false;
            }
        }
        return true;
    }

    /** Answers a task management request as the test said ("function complete" unless told), the first PDU spoiled when armed. */
    private boolean answerTaskManagement(int itt) throws IOException {
        Mutation m = target.taskManagementRequest();
        Forged.Answer answer = target.taskManagementAnswer();
        List<Forged> answers = answer == null ? List.of(new Forged(taskManagementDone(itt), null))
                : answer.make(new Forged.Live(request, statSn, expCmdSn));
        for (Forged f : answers) {
            byte[] h = f.header().clone();
            byte[] data = f.data();
            Forged.Edit edit = target.editFor(h[0] & 0x3F);
            if (edit != null) {
                Forged e = edit.apply(h, data.clone());
                if (e == null) {
                    continue;
                }
                h = e.header();
                data = e.data();
            }
            setDsl(h, data.length);
            if (ByteBuffer.wrap(h).getInt(24) == statSn) {
                statSn++;
            }
            if (!sendCounted(h, data, m)) {
                return false;
            }
            m = null;
        }
        return true;
    }

    private byte[] taskManagementDone(int itt) {
        ByteBuffer b = ByteBuffer.allocate(48);
        b.put(0, (byte) 0x22).put(1, (byte) 0x80).put(2, (byte) 0); // Function complete
        b.putInt(16, itt).putInt(24, statSn).putInt(28, expCmdSn).putInt(32, expCmdSn + 31);
        return b.array();
    }

    /** Sends one PDU, spoiled when it is the armed mutation's; false when the connection is to end or stall. */
    private boolean send(byte[] header, byte[] data, boolean counted) throws IOException {
        Forged.Edit edit = target.editFor(header[0] & 0x3F);
        if (edit != null) {
            Forged f = edit.apply(header.clone(), data.clone());
            if (f == null) {
                return true;
            }
            header = f.header();
            data = f.data();
            setDsl(header, data.length);
        }
        int n = counted ? target.count() : -1;
        boolean goOn = sendCounted(header, data, n >= 0 ? target.mutationFor(n) : null);
        if (goOn && n >= 0) {
            for (Forged.Forge forge : target.injectionsAfter(n)) {
                Forged f = forge.make(new Forged.Live(request, statSn, expCmdSn));
                byte[] h = f.header().clone();
                setDsl(h, f.data().length);
                int op = h[0] & 0x3F;
                if ((op == 0x32 || op == 0x3F) && ByteBuffer.wrap(h).getInt(24) == statSn) {
                    statSn++;
                }
                out.write(Mutation.encode(h, f.data(), fullFeature && headerDigest, fullFeature && dataDigest));
                out.flush();
            }
        }
        return goOn;
    }

    private boolean sendCounted(byte[] header, byte[] data, Mutation m) throws IOException {
        if (m == null) {
            out.write(Mutation.encode(header, data, fullFeature && headerDigest, fullFeature && dataDigest));
            out.flush();
            return true;
        }
        spoiledHere = true;
        int unknownItt = ByteBuffer.wrap(header).getInt(16) & 0xFFFF_F000 | 0xFFE;
        Mutation.Spoiled s = m.apply(header, data, fullFeature && headerDigest, fullFeature && dataDigest, unknownItt);
        for (byte[] w : s.wire()) {
            out.write(w);
        }
        out.flush();
        if (s.after() == Mutation.After.CLOSE) {
            closedByUs = true;
            return false;
        }
        return s.after() != Mutation.After.STALL;
    }

    private void drainUntilClosed(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        while (in.read(sink) >= 0) {
            // dropped: a stalled target answers nothing
        }
    }

    void close() {
        closedByUs = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void setDsl(byte[] h, int dsl) {
        h[5] = (byte) (dsl >>> 16);
        h[6] = (byte) (dsl >>> 8);
        h[7] = (byte) dsl;
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate().position(0);
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return a;
    }
}
