package org.kiscsi.tools.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.kiscsi.tools.lun.InquiryReport;
import org.kiscsi.tools.standalone.StandaloneInitiator;
import org.kiscsi.tools.url.IscsiUrl;
import org.kiscsi.tools.url.IscsiUrlParser;

/** {@code kiscsi-inq}: INQUIRY and its VPD pages, as libiscsi's {@code iscsi-inq}. */
public final class KiscsiInq extends Tool {
    public static void main(String[] args) {
        exit(new KiscsiInq(), args);
    }

    @Override
    String name() {
        return "kiscsi-inq";
    }

    @Override
    String usage() {
        return """
                Usage: kiscsi-inq [options] [-e 0|1] [-c PAGE] [-a] URL
                  INQUIRY of a LUN: the standard data, or with -e 1 the VPD page -c (0x00 lists them).
                  -e, --evpd 0|1             1: a VPD page (iscsi-inq's -e)
                  -c, --pagecode PAGE        the VPD page, decimal or 0x.. (iscsi-inq's -c)
                  -a, --all                  the standard data and every VPD page the LUN lists
                """;
    }

    @Override
    List<String> optionsWithValue() {
        return List.of("-e", "--evpd", "-c", "--pagecode");
    }

    @Override
    int run(ToolOptions o, PrintStream out, PrintStream err, Map<String, String> env) {
        int evpd = 0;
        int page = 0;
        boolean all = false;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < o.rest.size(); i++) {
            String a = o.rest.get(i);
            String name = a.startsWith("--") && a.indexOf('=') > 0 ? a.substring(0, a.indexOf('=')) : a;
            String inline = name.equals(a) ? null : a.substring(a.indexOf('=') + 1);
            switch (name) {
                case "-e", "--evpd" -> evpd = number(name, inline != null ? inline : next(o.rest, ++i, name), 1);
                case "-c", "--pagecode" -> page = number(name, inline != null ? inline : next(o.rest, ++i, name), 255);
                case "-a", "--all" -> all = true;
                default -> rest.add(a);
            }
        }
        if (evpd == 0 && page != 0) {
            throw new ToolOptions.UsageException("-c " + page + " needs -e 1 (a VPD page)");
        }
        o.rest.clear();
        o.rest.addAll(rest);
        IscsiUrl url = o.url(oneUrl(o, name()), IscsiUrlParser.Form.LUN, env, err);
        try (StandaloneInitiator kiscsi = new StandaloneInitiator(o.initiatorName, o.timeout)) {
            InquiryReport r = new InquiryReport(kiscsi.inquirer(url));
            if (all) {
                r.all(out);
            } else if (evpd == 1) {
                r.page(page, out);
            } else {
                r.standard(out);
            }
        }
        return 0;
    }

    static String next(List<String> a, int i, String option) {
        if (i >= a.size()) {
            throw new ToolOptions.UsageException(option + " needs a value");
        }
        return a.get(i);
    }

    static int number(String option, String v, int max) {
        try {
            int n = v.startsWith("0x") || v.startsWith("0X") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
            if (n < 0 || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ToolOptions.UsageException(option + " takes 0.." + max + ", not '" + v + "'");
        }
    }
}
