package org.kiscsi.shell.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.tools.lun.CopyEnd;
import org.kiscsi.tools.lun.DdOperands;
import org.kiscsi.tools.lun.LunAccess;
import org.kiscsi.tools.lun.LunCopy;
import org.kiscsi.tools.lun.UsageException;

/**
 * {@code kiscsi-dd} on the daemon's sessions: dd's operands, the same {@link LunCopy} (many transfers in
 * flight, SYNCHRONIZE CACHE at the end unless {@code oflag=fua}) and summary. {@code if=}/{@code of=} take a
 * file or the URL of a target the daemon is logged in to; with {@code -r SID -l LUN}, the operand left out
 * is that LUN. The console has no binary standard input or output: {@code -} is refused.
 */
@Command(scope = "iscsi", name = "lun-dd", description = "Copies between a LUN of the daemon's sessions and a file or another LUN, with dd's operands (bin/kiscsi-dd)")
@Service
public class LunDdCommand extends LunCommandSupport {
    @Argument(index = 0, name = "operands", multiValued = true, description = "if=FILE|URL of=FILE|URL bs= count= skip= seek= status=progress|none oflag=fua qd= iosize=")
    List<String> operands;

    @Override
    String name() {
        return "iscsi:lun-dd";
    }

    @Override
    int run(PrintStream out, PrintStream err) {
        List<String> args = operands == null ? List.of() : operands;
        boolean inGiven = args.stream().anyMatch(a -> a.startsWith("if="));
        boolean outGiven = args.stream().anyMatch(a -> a.startsWith("of="));
        DdOperands d = DdOperands.parse(args);
        boolean byId = sid != null || lun != null;
        if (byId && inGiven == outGiven) {
            throw new UsageException("with -r SID -l LUN, leave out one of if= and of=: that side is the LUN");
        }
        if (!byId && !(inGiven && outGiven)) {
            throw new UsageException("give if= and of= (a file or a URL of a target the daemon is logged in to), or -r SID -l LUN"
                    + " for the side left out");
        }
        String in = inGiven ? d.in() : null;
        String outName = outGiven ? d.out() : null;
        if ("-".equals(in) || "-".equals(outName)) {
            throw new UsageException("the console has no binary standard input or output: give a file (or bin/kiscsi-dd in a shell)");
        }
        boolean inLun = in == null || in.startsWith("iscsi://");
        boolean outLun = outName == null || outName.startsWith("iscsi://");
        if (d.fua() && !outLun) {
            throw new UsageException("oflag=fua needs a LUN as output");
        }
        List<AutoCloseable> open = new ArrayList<>();
        try {
            CopyEnd source = inLun ? lunEnd(in, false) : file(in, true, 0, open);
            CopyEnd destination = outLun ? lunEnd(outName, d.fua()) : file(outName, false, d.seek() * d.bs(), open);
            LunCopy.copyAsDd(source, destination, d, timeout(), err, d.status() == DdOperands.Status.PROGRESS, () -> { });
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

    /** A LUN end: the URL's session, or (url null) the one -r and -l name. */
    private CopyEnd lunEnd(String url, boolean fua) {
        LunTarget t = url == null ? target(null, true) : urlTarget(url);
        BlockDevice dev = LunAccess.open(luns, t.sid(), t.lun(), t.targetWhere(), timeout());
        LunAccess.checkSerial(dev, t.expectedSerial(), t.where(), timeout());
        return new CopyEnd.Lun(dev, t.where(), fua);
    }

    /** A URL operand beside -r/-l: resolved on its own. */
    private LunTarget urlTarget(String url) {
        String s = sid;
        String l = lun;
        sid = null;
        lun = null;
        try {
            return target(url, true);
        } finally {
            sid = s;
            lun = l;
        }
    }

    private static CopyEnd file(String name, boolean input, long cutAt, List<AutoCloseable> open) {
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
