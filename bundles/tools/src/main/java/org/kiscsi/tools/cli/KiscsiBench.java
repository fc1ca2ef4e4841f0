package org.kiscsi.tools.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.kiscsi.bench.Bench;
import org.kiscsi.tools.standalone.StandaloneInitiator;
import org.kiscsi.tools.url.IscsiUrl;
import org.kiscsi.tools.url.IscsiUrlParser;
import org.kiscsi.transport.tcp.TcpOptions;

/** {@code kiscsi-bench URL}: the closed-loop benchmark (bundles/bench) on the LUN a URL names, CHAP and digests included. */
public final class KiscsiBench extends Tool {
    private static final List<String> BENCH_VALUES = List.of("--pattern", "--bs", "--qd", "--seconds", "--ops", "--warmup",
            "--span", "--busy-poll-us", "--read-coalesce-us");
    /** Options of kiscsi-bench's own command line that a URL replaces. */
    private static final List<String> REPLACED = List.of("--portal", "--target", "--lun", "--initiator", "--digests");

    public static void main(String[] args) {
        exit(new KiscsiBench(), args);
    }

    @Override
    String name() {
        return "kiscsi-bench";
    }

    @Override
    String usage() {
        String u = Bench.usage();
        return "Usage: kiscsi-bench [options] URL\n  The benchmark on the LUN the URL names; its options:\n"
                + u.substring(u.indexOf('\n') + 1).replaceAll("(?m)^  --(lun|initiator|digests).*\\n", "")
                + "  (--portal, --target, --lun, --initiator and --digests come from the URL, -i and header_digest=/data_digest=)\n";
    }

    @Override
    List<String> optionsWithValue() {
        return BENCH_VALUES;
    }

    @Override
    int run(ToolOptions o, PrintStream out, PrintStream err, Map<String, String> env) {
        List<String> benchArgs = new ArrayList<>();
        String urlText = null;
        for (int i = 0; i < o.rest.size(); i++) {
            String a = o.rest.get(i);
            if (REPLACED.contains(a)) {
                throw new ToolOptions.UsageException(a + " comes from the URL (and -i) with kiscsi-bench URL");
            }
            if (a.startsWith("-")) {
                benchArgs.add(a);
                if (BENCH_VALUES.contains(a) && i + 1 < o.rest.size()) {
                    benchArgs.add(o.rest.get(++i));
                }
            } else if (urlText == null) {
                urlText = a;
            } else {
                throw new ToolOptions.UsageException("one URL, not two: " + IscsiUrlParser.redact(a));
            }
        }
        if (urlText == null) {
            throw new ToolOptions.UsageException("no URL given");
        }
        IscsiUrl url = o.url(urlText, IscsiUrlParser.Form.LUN, env, err);
        benchArgs.addAll(List.of("--portal", url.portal().hostPort(), "--target", url.target(), "--lun", Long.toString(url.lun())));
        String[] args = benchArgs.toArray(String[]::new);
        TcpOptions tcp;
        try {
            tcp = Bench.transportOptions(args);
        } catch (IllegalArgumentException e) {
            throw new ToolOptions.UsageException(e.getMessage());
        }
        try (StandaloneInitiator kiscsi = new StandaloneInitiator(o.initiatorName, o.timeout, tcp)) {
            long sid = kiscsi.login(url);
            kiscsi.open(sid, url.lun(), url.display());
            out.println(Bench.runOn(kiscsi.engine().executor(sid), args));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return 0;
    }
}
