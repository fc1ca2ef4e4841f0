package org.kiscsi.testkit.hostile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.kiscsi.testkit.hostile.SeedConversation.Event;

/**
 * A recorded conversation as answers to look up: for each initiator PDU of the first recorded
 * connection, the target PDUs that followed it before the initiator's next one.
 */
final class ReplayBook {
    /** An initiator PDU as recorded and what the target sent after it. */
    record Exchange(Event request, List<Event> answers) {
        int itt() {
            return java.nio.ByteBuffer.wrap(request.header()).getInt(16);
        }
    }

    private final List<Exchange> logins = new ArrayList<>();
    private final List<Exchange> commands = new ArrayList<>();
    private final Map<Integer, List<Exchange>> dataOuts = new HashMap<>();
    private final List<Exchange> nops = new ArrayList<>();
    private final List<Exchange> logouts = new ArrayList<>();
    private final List<Exchange> texts = new ArrayList<>();

    ReplayBook(SeedConversation seeds) {
        List<Event> events = seeds.events().stream().filter(e -> e.connection() == 0).toList();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (!e.fromInitiator()) {
                continue;
            }
            List<Event> answers = new ArrayList<>();
            for (int j = i + 1; j < events.size() && !events.get(j).fromInitiator(); j++) {
                answers.add(events.get(j));
            }
            Exchange x = new Exchange(e, List.copyOf(answers));
            switch (e.opcodeBits()) {
                case 0x03 -> logins.add(x);
                case 0x01 -> commands.add(x);
                case 0x05 -> dataOuts.computeIfAbsent(x.itt(), k -> new ArrayList<>()).add(x);
                case 0x00 -> {
                    if (x.itt() != -1) {
                        nops.add(x);
                    }
                }
                case 0x06 -> logouts.add(x);
                case 0x04 -> texts.add(x);
                default -> {
                    // nothing else is replayed
                }
            }
        }
        if (logins.isEmpty()) {
            throw new IllegalArgumentException("the seed conversation has no login");
        }
    }

    /** The {@code n}-th login exchange (from 0); the last one past the end. */
    Exchange login(int n) {
        return logins.get(Math.min(n, logins.size() - 1));
    }

    /** The first command exchange with this CDB not in {@code used}, else the last with it; null when none. */
    Exchange command(byte[] cdb, List<Exchange> used) {
        Exchange last = null;
        for (Exchange x : commands) {
            if (Arrays.equals(cdb(x.request().header()), cdb)) {
                if (!used.contains(x)) {
                    return x;
                }
                last = x;
            }
        }
        return last;
    }

    /** The {@code n}-th Data-Out (from 0) recorded for the command with recorded ITT {@code itt}; null when none. */
    Exchange dataOut(int itt, int n) {
        List<Exchange> l = dataOuts.get(itt);
        return l == null || n >= l.size() ? null : l.get(n);
    }

    Exchange nop() {
        return nops.isEmpty() ? null : nops.get(0);
    }

    /** The {@code n}-th Text exchange (from 0: the request, then each request for the rest); the last one past the end; null when none. */
    Exchange text(int n) {
        return texts.isEmpty() ? null : texts.get(Math.min(n, texts.size() - 1));
    }

    Exchange logout() {
        return logouts.isEmpty() ? null : logouts.get(0);
    }

    static byte[] cdb(byte[] header) {
        return Arrays.copyOfRange(header, 32, 48);
    }
}
