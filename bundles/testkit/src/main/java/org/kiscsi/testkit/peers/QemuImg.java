package org.kiscsi.testkit.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * qemu-img with QEMU's libiscsi block driver: copies between an iSCSI LUN and a local raw file,
 * and {@code qemu-img bench} (the only write benchmark here; iscsi-perf only reads). Credentials
 * reach libiscsi through {@code LIBISCSI_CHAP_*}; qemu-img echoes them in its JSON file names, so
 * every output is redacted.
 */
public final class QemuImg {
    private static final Pattern SENDING = Pattern.compile("Sending (\\d+) (read|write) requests, (\\d+) bytes each, (\\d+) in parallel");
    private static final Pattern COMPLETED = Pattern.compile("Run completed in ([0-9.]+) seconds");

    private final Duration timeout;

    private QemuImg(Duration timeout) {
        this.timeout = timeout;
    }

    /** 60 s per call. Fails when qemu-utils or qemu-block-extra (the iSCSI driver) is missing. */
    public static QemuImg create() {
        Tool.requireQemuIscsiDriver();
        return new QemuImg(Duration.ofSeconds(60));
    }

    public QemuImg timeout(Duration t) {
        return new QemuImg(t);
    }

    /** Copies the raw file {@code file} to the start of the LUN ({@code convert -n}: the LUN exists). */
    public void writeToLun(Path file, IscsiUrl lun) {
        check(lun, "convert", "-n", "-f", "raw", "-O", "raw", file.toString(), lun.uri());
    }

    /** Copies the whole LUN into the raw file {@code file} (created or replaced; as large as the LUN). */
    public void readFromLun(IscsiUrl lun, Path file) {
        check(lun, "convert", "-f", "raw", "-O", "raw", lun.uri(), file.toString());
    }

    /**
     * {@code qemu-img bench -f raw -t none [-w] -d depth -s bytes -c count}: sequential requests
     * from offset 0, {@code depth} in flight.
     */
    public BenchResult bench(IscsiUrl lun, boolean write, int count, int bytesPerRequest, int depth) {
        if (count < 1 || bytesPerRequest < 512 || depth < 1) {
            throw new IllegalArgumentException("bench needs count >= 1, size >= 512, depth >= 1: " + count + ", " + bytesPerRequest + ", " + depth);
        }
        List<String> a = new ArrayList<>(List.of("bench", "-f", "raw", "-t", "none"));
        if (write) {
            a.add("-w");
        }
        a.addAll(List.of("-d", Integer.toString(depth), "-s", Integer.toString(bytesPerRequest), "-c", Integer.toString(count), lun.uri()));
        return parseBench(check(lun, a.toArray(String[]::new)).stdout());
    }

    static BenchResult parseBench(String out) {
        Matcher s = SENDING.matcher(out);
        Matcher c = COMPLETED.matcher(out);
        if (!s.find() || !c.find()) {
            throw new PeerException("cannot parse qemu-img bench output:\n" + CommandResult.tail(out, 10));
        }
        return new BenchResult("write".equals(s.group(2)), Long.parseLong(s.group(1)), Long.parseLong(s.group(3)),
                Integer.parseInt(s.group(4)), Double.parseDouble(c.group(1)));
    }

    private CommandResult check(IscsiUrl lun, String... args) {
        Command c = lun.applyCredentials(Command.of(Tool.QEMU_IMG, args).withTimeout(timeout));
        for (String secret : lun.secrets()) {
            c = c.redacting(secret);
        }
        return Commands.check(c);
    }
}
