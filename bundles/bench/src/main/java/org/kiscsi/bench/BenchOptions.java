package org.kiscsi.bench;

import java.util.ArrayList;
import java.util.List;

import org.kiscsi.api.Portal;
import org.kiscsi.transport.tcp.TcpOptions;

/** The command line of kiscsi-bench. */
record BenchOptions(Portal portal, String target, int lun, Pattern pattern, int blockSize, int queueDepth,
        int seconds, long maxOps, String initiator, boolean digests, int warmupSeconds, long spanBytes, int busyPollMicros,
        int readCoalesceMicros, int sessions, long warmupOps, TcpOptions.Moderation moderation) {

    /** The TCP transport's options these ask for (--busy-poll-us, --read-coalesce-us, --moderation). */
    TcpOptions transport() {
        return TcpOptions.DEFAULTS.withBusyPollNanos(busyPollMicros * 1000L)
                .withReadCoalescing(readCoalesceMicros * 1000L, TcpOptions.DEFAULTS.readCoalesceMinReplies())
                .withModeration(moderation);
    }

    /** The targets named by --target (a comma-separated list): session i logs in to target i modulo their count. */
    java.util.List<String> targets() {
        return java.util.List.of(target.split(","));
    }

    enum Pattern { RANDREAD, SEQREAD, RANDWRITE, SEQWRITE;
        boolean write() {
            return this == RANDWRITE || this == SEQWRITE;
        }

        boolean random() {
            return this == RANDREAD || this == RANDWRITE;
        }
    }

    static final String USAGE = """
            Usage: kiscsi-bench --portal HOST[:PORT] --target IQN [options]
              --lun N            LUN (default 1)
              --pattern P        randread | seqread | randwrite | seqwrite (default randread)
              --bs BYTES         bytes per I/O, a multiple of 512 (default 4096)
              --qd N             commands in flight per session (default 32)
              --sessions N       sessions, each with --qd commands in flight (default 1); --target may
                                 list several IQNs separated by commas, taken in turn
              --seconds N        run time after warm-up (default 10)
              --ops N            stop after N I/Os instead (bounded by --seconds too)
              --warmup N         seconds of warm-up not counted (default 1; at least --warmup-ops I/Os, at most 15 s more)
              --warmup-ops N     I/Os of warm-up at least (default 30000: the JIT has compiled the I/O path by then),
                                 then until the JIT has been idle for 1.5 s (at most 15 s more; not with 0)
              --span BYTES       part of the LUN to use (default: all, at most 1 GiB)
              --initiator IQN    InitiatorName (default iqn.2026-11.org.kiscsi:bench)
              --digests          offer CRC32C header and data digests
              --busy-poll-us N   I/O threads poll N microseconds before they sleep while one or two
                                 replies are due (default 50, the transport's; 0 turns it off; at most 1000)
              --read-coalesce-us N  pause N microseconds between reads while 16 or more replies are due
                                 (default 30, the transport's; 0 turns it off; at most 1000)
              --moderation M     adaptive | fixed | off: whether the pause and the poll adapt to what each
                                 connection observes (the settings above as upper bounds), always apply
                                 when the replies due call for them, or never (default adaptive, the transport's)
            Prints one line of key=value results: iops, mib_s, latency percentiles (us), CPU and bytes allocated per I/O.
            """;

    static BenchOptions parse(String[] args) {
        Portal portal = null;
        String target = null;
        int lun = 1;
        Pattern pattern = Pattern.RANDREAD;
        int bs = 4096;
        int qd = 32;
        int seconds = 10;
        long ops = Long.MAX_VALUE;
        String initiator = "iqn.2026-11.org.kiscsi:bench";
        boolean digests = false;
        int warmup = 1;
        long span = 1L << 30;
        // the TCP transport's defaults unless asked otherwise
        int busyPoll = (int) (TcpOptions.DEFAULTS.busyPollNanos() / 1000);
        int coalesce = (int) (TcpOptions.DEFAULTS.readCoalesceNanos() / 1000);
        int sessions = 1;
        long warmupOps = 30_000;
        TcpOptions.Moderation moderation = TcpOptions.DEFAULTS.moderation();
        List<String> a = new ArrayList<>(List.of(args));
        for (int i = 0; i < a.size(); i++) {
            String k = a.get(i);
            switch (k) {
                case "--portal" -> portal = Portal.parse(value(a, ++i, k));
                case "--target" -> target = value(a, ++i, k);
                case "--lun" -> lun = Integer.parseInt(value(a, ++i, k));
                case "--pattern" -> pattern = Pattern.valueOf(value(a, ++i, k).toUpperCase(java.util.Locale.ROOT));
                case "--bs" -> bs = Integer.parseInt(value(a, ++i, k));
                case "--qd" -> qd = Integer.parseInt(value(a, ++i, k));
                case "--seconds" -> seconds = Integer.parseInt(value(a, ++i, k));
                case "--ops" -> ops = Long.parseLong(value(a, ++i, k));
                case "--warmup" -> warmup = Integer.parseInt(value(a, ++i, k));
                case "--span" -> span = Long.parseLong(value(a, ++i, k));
                case "--initiator" -> initiator = value(a, ++i, k);
                case "--digests" -> digests = true;
                case "--busy-poll-us" -> busyPoll = Integer.parseInt(value(a, ++i, k));
                case "--read-coalesce-us" -> coalesce = Integer.parseInt(value(a, ++i, k));
                case "--sessions" -> sessions = Integer.parseInt(value(a, ++i, k));
                case "--warmup-ops" -> warmupOps = Long.parseLong(value(a, ++i, k));
                case "--moderation" -> moderation = moderation(value(a, ++i, k));
                case "-h", "--help" -> throw new UsageException(null);
                default -> throw new UsageException("unknown option " + k);
            }
        }
        if (portal == null || target == null) {
            throw new UsageException("--portal and --target are required");
        }
        if (bs < 512 || bs % 512 != 0 || qd < 1 || qd > 1024 || seconds < 1 || seconds > 3600) {
            throw new UsageException("--bs must be a multiple of 512, --qd 1..1024, --seconds 1..3600");
        }
        if (busyPoll < 0 || busyPoll > 1000) {
            throw new UsageException("--busy-poll-us must be 0..1000");
        }
        if (coalesce < 0 || coalesce > 1000) {
            throw new UsageException("--read-coalesce-us must be 0..1000");
        }
        if (warmup < 0 || warmupOps < 0) {
            throw new UsageException("--warmup and --warmup-ops must be 0 or more");
        }
        if (sessions < 1 || sessions > 1024) {
            throw new UsageException("--sessions must be 1..1024");
        }
        return new BenchOptions(portal, target, lun, pattern, bs, qd, seconds, ops, initiator, digests, warmup, span, busyPoll,
                coalesce, sessions, warmupOps, moderation);
    }

    private static TcpOptions.Moderation moderation(String name) {
        try {
            return TcpOptions.Moderation.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--moderation: " + e.getMessage());
        }
    }

    private static String value(List<String> a, int i, String option) {
        if (i >= a.size()) {
            throw new UsageException(option + " needs a value");
        }
        return a.get(i);
    }

    static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
