package org.kiscsi.tools.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.tools.lun.CopyEnd;
import org.kiscsi.tools.lun.DdOperands;
import org.kiscsi.tools.lun.LunAccess;
import org.kiscsi.tools.lun.LunCopy;
import org.kiscsi.tools.standalone.StandaloneInitiator;
import org.kiscsi.tools.url.IscsiUrl;
import org.kiscsi.tools.url.IscsiUrlParser;

/** {@code kiscsi-dd}: copies a LUN to or from a file, a stream or another LUN, with dd's operands. */
public final class KiscsiDd extends Tool {
    /** Set by bin/kiscsi-dd when standard error is a terminal (Java cannot ask for fd 2 alone). */
    static final String ENV_STDERR_TTY = "KISCSI_STDERR_TTY";

    private final InputStream stdin;

    KiscsiDd(InputStream stdin) {
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        exit(new KiscsiDd(System.in), args);
    }

    @Override
    String name() {
        return "kiscsi-dd";
    }

    @Override
    String usage() {
        return """
                Usage: kiscsi-dd [options] [if=IN] [of=OUT] [bs=N] [count=N] [skip=N] [seek=N] [status=progress|none]
                                 [oflag=fua] [qd=N] [iosize=N]
                  Copies between a LUN (an iscsi:// URL), a file and standard input or output (-, the default),
                  as dd: count, skip and seek count bs-byte blocks (bs=512 by default); numbers take c, w, b,
                  kB, K, MB, M, GB, G, TB, T. On a LUN, offsets and lengths are whole blocks of the LUN.
                  A LUN destination ends with SYNCHRONIZE CACHE; oflag=fua writes with FUA instead.
                  status=progress shows a progress bar (the default on a terminal), none prints nothing.
                  The summary (on standard error) gives bytes, time, throughput and the SHA-256 of the data.
                  qd=N     transfers in flight (default 16);  iosize=N  bytes per transfer (default 1M)
                  An output file is cut at seek= first, as dd does.
                """;
    }

    @Override
    int run(ToolOptions o, PrintStream out, PrintStream err, Map<String, String> env) {
        DdOperands d = DdOperands.parse(o.rest);
        IscsiUrl inUrl = d.in().startsWith("iscsi://") ? o.url(d.in(), IscsiUrlParser.Form.LUN, env, err) : null;
        IscsiUrl outUrl = d.out().startsWith("iscsi://") ? o.url(d.out(), IscsiUrlParser.Form.LUN, env, err) : null;
        if (d.seek() > 0 && d.out().equals("-")) {
            throw new ToolOptions.UsageException("seek= needs a file or a LUN as output, not standard output");
        }
        if (d.fua() && outUrl == null) {
            throw new ToolOptions.UsageException("oflag=fua needs a LUN as output");
        }
        List<AutoCloseable> open = new ArrayList<>();
        try (StandaloneInitiator kiscsi = new StandaloneInitiator(o.initiatorName, o.timeout)) {
            Map<String, Long> sessions = new HashMap<>();
            CopyEnd source = inUrl != null ? lun(kiscsi, sessions, inUrl, false) : file(d.in(), true, 0, open, out);
            CopyEnd destination = outUrl != null ? lun(kiscsi, sessions, outUrl, d.fua())
                    : file(d.out(), false, d.seek() * d.bs(), open, out);
            boolean bar = d.status() == DdOperands.Status.PROGRESS
                    || d.status() == DdOperands.Status.DEFAULT && "1".equals(env.get(ENV_STDERR_TTY));
            LunCopy.copyAsDd(source, destination, d, o.timeout, err, bar, out::flush);
        } finally {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    err.println(name() + ": closing: " + e.getMessage());
                }
            }
        }
        return 0;
    }

    /** A LUN end; two URLs of one target and portal share one session. */
    private static CopyEnd lun(StandaloneInitiator kiscsi, Map<String, Long> sessions, IscsiUrl url, boolean fua) {
        String key = url.target() + " " + url.portal().hostPort();
        Long sid = sessions.get(key);
        if (sid == null) {
            sid = kiscsi.login(url);
            sessions.put(key, sid);
        }
        BlockDevice dev = kiscsi.open(sid, url.lun(), url.display().substring(0, url.display().lastIndexOf('/')));
        LunAccess.checkSerial(dev, url.expectedSerial(), url.display(), kiscsi.timeout());
        return new CopyEnd.Lun(dev, url.display(), fua);
    }

    private CopyEnd file(String name, boolean input, long cutAt, List<AutoCloseable> open, PrintStream out) {
        if (name.equals("-")) {
            return input ? CopyEnd.Stream.of(stdin, "standard input") : CopyEnd.Stream.of(out, "standard output");
        }
        Path p = Path.of(name);
        try {
            FileChannel ch = input ? FileChannel.open(p, StandardOpenOption.READ)
                    : FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            open.add(ch);
            if (!input && Files.isRegularFile(p) && ch.size() > cutAt) {
                ch.truncate(cutAt);
            }
            if (Files.isRegularFile(p)) {
                return new CopyEnd.File(ch, name);
            }
            return input ? new CopyEnd.Stream(ch, null, name) : new CopyEnd.Stream(null, ch, name);
        } catch (IOException e) {
            throw new UncheckedIOException((input ? "if=" : "of=") + name + ": cannot open it", e);
        }
    }
}
