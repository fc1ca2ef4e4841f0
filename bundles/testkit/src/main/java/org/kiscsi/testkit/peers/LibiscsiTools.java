package org.kiscsi.testkit.peers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * libiscsi's command-line tools as reference initiator: iscsi-ls, iscsi-inq,
 * iscsi-readcapacity16 and iscsi-perf (libiscsi-bin has no iscsi-dd). CHAP credentials of an
 * {@link IscsiUrl} go in {@code LIBISCSI_CHAP_*} variables, never on the command line. Immutable;
 * {@link #initiatorName} and {@link #timeout} return copies.
 */
public final class LibiscsiTools {
    /** What libiscsi answers on an authentication failure (and most other login failures). */
    public static final int EXIT_LOGIN_FAILED = 10;
    private final String initiatorName;
    private final Duration timeout;

    private LibiscsiTools(String initiatorName, Duration timeout) {
        this.initiatorName = initiatorName;
        this.timeout = timeout;
    }

    /** libiscsi's default initiator names, 15 s per call. Fails when libiscsi-bin is missing. */
    public static LibiscsiTools create() {
        Tool.require(Tool.ISCSI_LS, Tool.ISCSI_INQ, Tool.ISCSI_READCAPACITY16, Tool.ISCSI_PERF);
        return new LibiscsiTools(null, Duration.ofSeconds(15));
    }

    /** Every tool logs in as {@code iqn} ({@code -i}), e.g. to pass a tgtd {@code -Q} ACL. */
    public LibiscsiTools initiatorName(String iqn) {
        return new LibiscsiTools(iqn, timeout);
    }

    /** Bound for each call (iscsi-perf: its run time plus this; it ignores SIGTERM, so the runner's SIGKILL ends it). */
    public LibiscsiTools timeout(Duration t) {
        return new LibiscsiTools(initiatorName, t);
    }

    public Optional<String> initiatorName() {
        return Optional.ofNullable(initiatorName);
    }

    /** {@code iscsi-ls <portal>}: SendTargets discovery. */
    public List<ListedTarget> listTargets(IscsiUrl portal) {
        return LibiscsiOutput.targets(check(Tool.ISCSI_LS, portal).stdout());
    }

    /** {@code iscsi-ls -s <portal>}: also logs in to each target and lists its LUNs (aborts at the first CHAP target it cannot log in to). */
    public List<ListedTarget> listTargetsWithLuns(IscsiUrl portal) {
        return LibiscsiOutput.targets(check(Tool.ISCSI_LS, portal, "-s").stdout());
    }

    /** {@code iscsi-inq <lun>}: standard INQUIRY. */
    public Inquiry inquiry(IscsiUrl lun) {
        return LibiscsiOutput.inquiry(check(Tool.ISCSI_INQ, lun).stdout());
    }

    /** {@code iscsi-inq -e 1 -c 0x80}: VPD Unit Serial Number, trimmed. */
    public String unitSerialNumber(IscsiUrl lun) {
        return LibiscsiOutput.unitSerialNumber(check(Tool.ISCSI_INQ, lun, "-e", "1", "-c", "128").stdout());
    }

    /** {@code iscsi-readcapacity16 <lun>}. */
    public ReadCapacity readCapacity16(IscsiUrl lun) {
        return LibiscsiOutput.capacity(check(Tool.ISCSI_READCAPACITY16, lun).stdout());
    }

    /**
     * {@code iscsi-perf -t seconds -m maxRequests -b blocksPerRequest [-r] <lun>}: READs only, for
     * {@code seconds} (1..60).
     */
    public PerfResult perf(IscsiUrl lun, int seconds, int maxRequests, int blocksPerRequest, boolean random) {
        if (seconds < 1 || seconds > 60 || maxRequests < 1 || blocksPerRequest < 1) {
            throw new IllegalArgumentException("iscsi-perf needs 1..60 s and positive queue depth and blocks: " + seconds + " s, -m "
                    + maxRequests + ", -b " + blocksPerRequest);
        }
        List<String> args = new ArrayList<>(List.of("-t", Integer.toString(seconds), "-m", Integer.toString(maxRequests), "-b",
                Integer.toString(blocksPerRequest)));
        if (random) {
            args.add("-r");
        }
        Command c = command(Tool.ISCSI_PERF, lun, args).withTimeout(Duration.ofSeconds(seconds).plus(timeout));
        CommandResult r = Commands.check(c);
        long[] v = LibiscsiOutput.perf(r.stdout());
        return new PerfResult(v[0], v[1], seconds, maxRequests, blocksPerRequest, random);
    }

    /** Runs {@code tool [args] <url>} and returns how it ended, whatever the exit code (10 = login failed). */
    public CommandResult run(Tool tool, IscsiUrl url, String... args) {
        return Commands.run(command(tool, url, List.of(args)));
    }

    private CommandResult check(Tool tool, IscsiUrl url, String... args) {
        return run(tool, url, args).requireSuccess(tool.program() + " " + url);
    }

    private Command command(Tool tool, IscsiUrl url, List<String> args) {
        List<String> a = new ArrayList<>();
        if (initiatorName != null) {
            a.addAll(List.of("-i", initiatorName));
        }
        a.addAll(args);
        a.add(url.uri());
        Command c = url.applyCredentials(Command.of(tool.path(), a).withTimeout(timeout));
        for (String s : url.secrets()) {
            c = c.redacting(s);
        }
        return c;
    }
}
