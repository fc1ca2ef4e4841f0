package org.kiscsi.tools.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.tools.lun.Reservations;
import org.kiscsi.tools.standalone.StandaloneInitiator;
import org.kiscsi.tools.url.IscsiUrl;
import org.kiscsi.tools.url.IscsiUrlParser;

/** {@code kiscsi-pr}: persistent reservations of a LUN. */
public final class KiscsiPr extends Tool {
    public static void main(String[] args) {
        exit(new KiscsiPr(), args);
    }

    @Override
    String name() {
        return "kiscsi-pr";
    }

    @Override
    String usage() {
        return "Usage: kiscsi-pr [options] URL VERB [ARGS]\n"
                + "  Persistent reservations (SPC-4) of a LUN, for the I_T nexus of this initiator name (-i).\n"
                + Reservations.VERBS;
    }

    @Override
    int run(ToolOptions o, PrintStream out, PrintStream err, Map<String, String> env) {
        for (String a : o.rest) {
            if (a.startsWith("-")) {
                throw new ToolOptions.UsageException("unknown option " + a);
            }
        }
        if (o.rest.size() < 2) {
            throw new ToolOptions.UsageException(o.rest.isEmpty() ? "no URL given" : "no verb given after the URL");
        }
        IscsiUrl url = o.url(o.rest.get(0), IscsiUrlParser.Form.LUN, env, err);
        List<String> words = List.copyOf(o.rest.subList(1, o.rest.size()));
        try {
            // the words are checked before logging in: a typo costs no session
            Reservations.check(words);
        } catch (IllegalArgumentException e) {
            throw new ToolOptions.UsageException(e.getMessage());
        }
        try (StandaloneInitiator kiscsi = new StandaloneInitiator(o.initiatorName, o.timeout)) {
            BlockDevice d = kiscsi.openLun(url);
            new Reservations(d, url.display(), o.timeout).run(words, out);
        }
        return 0;
    }
}
