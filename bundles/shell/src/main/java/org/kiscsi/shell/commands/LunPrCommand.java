package org.kiscsi.shell.commands;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.tools.lun.LunAccess;
import org.kiscsi.tools.lun.Reservations;
import org.kiscsi.tools.lun.UsageException;

/**
 * {@code kiscsi-pr} on a LUN of the daemon's sessions: persistent reservations for the daemon's I_T nexus
 * (its initiator name and the session's ISID), the verbs checked before any command is sent.
 */
@Command(scope = "iscsi", name = "lun-pr", description = "Persistent reservations of a LUN of the daemon's sessions: register, reserve, release, preempt, keys, show (bin/kiscsi-pr)")
@Service
public class LunPrCommand extends LunCommandSupport {
    @Argument(index = 0, name = "words", multiValued = true, description = "[URL] VERB [ARGS] ...: the URL of a target the daemon is logged in to (or -r SID -l LUN), then the verbs")
    @Completion(value = StringsCompleter.class, values = {"keys", "reservation", "show", "register", "unregister",
            "reserve", "release", "clear", "preempt", "preempt-abort", "we", "ea", "we-ro", "ea-ro", "we-ar", "ea-ar"})
    List<String> words;

    @Override
    String name() {
        return "iscsi:lun-pr";
    }

    @Override
    int run(PrintStream out, PrintStream err) {
        List<String> w = new ArrayList<>(words == null ? List.of() : words);
        String url = !w.isEmpty() && w.get(0).startsWith("iscsi://") ? w.remove(0) : null;
        if (w.isEmpty()) {
            throw new UsageException("no verb given" + (url == null ? "" : " after the URL"));
        }
        try {
            // the words are checked before anything is sent: a typo costs no command
            Reservations.check(w);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        LunTarget t = target(url, true);
        BlockDevice d = LunAccess.open(luns, t.sid(), t.lun(), t.targetWhere(), timeout());
        LunAccess.checkSerial(d, t.expectedSerial(), t.where(), timeout());
        new Reservations(d, t.where(), timeout()).run(w, out);
        return 0;
    }
}
