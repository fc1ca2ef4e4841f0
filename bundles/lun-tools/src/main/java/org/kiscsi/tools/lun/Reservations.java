package org.kiscsi.tools.lun;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.kiscsi.api.scsi.Await;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.PersistentReservation;
import org.kiscsi.api.scsi.PrKeys;
import org.kiscsi.api.scsi.PrOut;
import org.kiscsi.api.scsi.PrType;

/**
 * {@code kiscsi-pr}: persistent reservations of a LU (SPC-4 PERSISTENT RESERVE IN/OUT). The verbs:
 * {@code keys}, {@code reservation}, {@code show} (both), {@code register KEY}, {@code unregister KEY},
 * {@code reserve KEY TYPE}, {@code release KEY TYPE}, {@code clear KEY}, {@code preempt KEY VICTIM TYPE},
 * {@code preempt-abort KEY VICTIM TYPE}. Keys are hex ({@code 0x...}) or decimal; types {@code we},
 * {@code ea}, {@code we-ro}, {@code ea-ro}, {@code we-ar}, {@code ea-ar} or SPC-4's numbers. Output
 * follows sg_persist's lines. Several verbs run one after the other on one session: tgtd ties a
 * registration to the session that made it, so a key registered by one run cannot reserve in the next.
 */
public final class Reservations {
    public static final String VERBS = """
              keys                          the registered keys (PERSISTENT RESERVE IN / READ KEYS)
              reservation                   the reservation held, if any (READ RESERVATION)
              show                          both
              register KEY                  registers KEY for this I_T nexus
              unregister KEY                removes this nexus's registration of KEY
              reserve KEY TYPE              takes a reservation of TYPE with the registered KEY
              release KEY TYPE              releases it
              clear KEY                     removes every registration and the reservation
              preempt KEY VICTIM TYPE       takes over from VICTIM's key (preempt-abort: and aborts its commands)
            Several verbs run in order in one session, e.g. register 0xaa reserve 0xaa we show.
            TYPE: we (write exclusive), ea (exclusive access), we-ro, ea-ro (registrants only),
                  we-ar, ea-ar (all registrants), or SPC-4's number 1, 3, 5..8. KEY: 0x1234abcd or decimal.
            """;

    private final BlockDevice device;
    private final String where;
    private final Duration timeout;

    public Reservations(BlockDevice device, String where, Duration timeout) {
        this.device = device;
        this.where = where;
        this.timeout = timeout;
    }

    /** Checks one verb with its arguments without sending anything; a malformed one throws IllegalArgumentException. */
    public static void check(List<String> words) {
        new Reservations(null, null, null).dispatch(words, null, true);
    }

    /** Runs one verb with its arguments ({@link #VERBS}); a malformed one throws IllegalArgumentException. */
    public void run(List<String> words, PrintStream out) {
        dispatch(words, out, false);
    }

    private void dispatch(List<String> words, PrintStream out, boolean dryRun) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no verb: keys, reservation, show, register, unregister, reserve, release, clear, preempt");
        }
        // verbs follow one another in one session: tgtd ties a registration to the session that made it
        int i = 0;
        while (i < words.size()) {
            String verb = words.get(i);
            int n = switch (verb) {
                case "keys", "reservation", "show" -> 0;
                case "register", "unregister", "clear" -> 1;
                case "reserve", "release" -> 2;
                case "preempt", "preempt-abort" -> 3;
                default -> throw new IllegalArgumentException("unknown verb '" + verb + "'");
            };
            if (i + 1 + n > words.size()) {
                throw new IllegalArgumentException(verb + " takes " + n + " argument" + (n == 1 ? "" : "s") + ", not "
                        + (words.size() - i - 1));
            }
            one(verb, words.subList(i + 1, i + 1 + n), out, dryRun);
            i += 1 + n;
        }
    }

    private void one(String verb, List<String> a, PrintStream out, boolean dryRun) {
        PrOut request = switch (verb) {
            case "register" -> PrOut.register(0, key(a.get(0)));
            case "unregister" -> PrOut.register(key(a.get(0)), 0);
            case "reserve" -> PrOut.reserve(key(a.get(0)), type(a.get(1)));
            case "release" -> PrOut.release(key(a.get(0)), type(a.get(1)));
            case "clear" -> PrOut.clear(key(a.get(0)));
            case "preempt" -> PrOut.preempt(key(a.get(0)), key(a.get(1)), type(a.get(2)));
            case "preempt-abort" -> PrOut.preemptAndAbort(key(a.get(0)), key(a.get(1)), type(a.get(2)));
            default -> null;
        };
        if (dryRun) {
            return;
        }
        if (request != null) {
            out(request);
        }
        if (verb.equals("keys") || verb.equals("show")) {
            keys(out);
        }
        if (verb.equals("reservation") || verb.equals("show")) {
            reservation(out);
        }
    }

    public void keys(PrintStream out) {
        PrKeys k = Await.result(device.readReservationKeys(), timeout, where + ": PERSISTENT RESERVE IN / READ KEYS");
        if (k.keys().isEmpty()) {
            out.println(String.format("  PR generation=0x%x, there are NO registered reservation keys", k.generation()));
            return;
        }
        out.println(String.format("  PR generation=0x%x, %d registered reservation key%s follow%s:", k.generation(), k.keys().size(),
                k.keys().size() == 1 ? "" : "s", k.keys().size() == 1 ? "s" : ""));
        for (long key : k.keys()) {
            out.println(String.format("    0x%x", key));
        }
    }

    public void reservation(PrintStream out) {
        Optional<PersistentReservation> r = Await.result(device.readReservation(), timeout,
                where + ": PERSISTENT RESERVE IN / READ RESERVATION");
        if (r.isEmpty()) {
            out.println("  there is NO reservation held");
            return;
        }
        PersistentReservation p = r.get();
        out.println(String.format("  PR generation=0x%x, Reservation follows:", p.generation()));
        out.println(String.format("    Key=0x%x", p.key()));
        out.println("    scope: " + (p.scope() == 0 ? "LU_SCOPE" : "scope " + p.scope()) + ",  type: " + typeName(p.type()));
    }

    private void out(PrOut request) {
        Await.result(device.persistentReserveOut(request), timeout, where + ": PERSISTENT RESERVE OUT " + request.action());
    }

    /** A reservation key: 0x-prefixed hex or decimal, 64 bits. */
    public static long key(String s) {
        try {
            return s.startsWith("0x") || s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a reservation key (0x1234abcd or decimal, 64 bits)");
        }
    }

    public static PrType type(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "we", "1" -> PrType.WRITE_EXCLUSIVE;
            case "ea", "3" -> PrType.EXCLUSIVE_ACCESS;
            case "we-ro", "5" -> PrType.WRITE_EXCLUSIVE_REGISTRANTS_ONLY;
            case "ea-ro", "6" -> PrType.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY;
            case "we-ar", "7" -> PrType.WRITE_EXCLUSIVE_ALL_REGISTRANTS;
            case "ea-ar", "8" -> PrType.EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
            default -> throw new IllegalArgumentException("'" + s + "' is not a reservation type (we, ea, we-ro, ea-ro, we-ar, ea-ar, 1, 3, 5..8)");
        };
    }

    /** sg_persist's names. */
    static String typeName(PrType t) {
        return switch (t) {
            case WRITE_EXCLUSIVE -> "Write Exclusive";
            case EXCLUSIVE_ACCESS -> "Exclusive Access";
            case WRITE_EXCLUSIVE_REGISTRANTS_ONLY -> "Write Exclusive, registrants only";
            case EXCLUSIVE_ACCESS_REGISTRANTS_ONLY -> "Exclusive Access, registrants only";
            case WRITE_EXCLUSIVE_ALL_REGISTRANTS -> "Write Exclusive, all registrants";
            case EXCLUSIVE_ACCESS_ALL_REGISTRANTS -> "Exclusive Access, all registrants";
        };
    }
}
