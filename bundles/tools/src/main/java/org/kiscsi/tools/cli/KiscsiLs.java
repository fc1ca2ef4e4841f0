package org.kiscsi.tools.cli;

import java.io.PrintStream;
import java.util.Map;

import org.kiscsi.tools.lun.LunListing;
import org.kiscsi.tools.standalone.PortalListing;
import org.kiscsi.tools.standalone.StandaloneInitiator;
import org.kiscsi.tools.url.IscsiUrl;
import org.kiscsi.tools.url.IscsiUrlParser;

/** {@code kiscsi-ls}: the targets of a portal and their LUNs, as libiscsi's {@code iscsi-ls}. */
public final class KiscsiLs extends Tool {
    public static void main(String[] args) {
        exit(new KiscsiLs(), args);
    }

    @Override
    String name() {
        return "kiscsi-ls";
    }

    @Override
    String usage() {
        return """
                Usage: kiscsi-ls [options] [-s] [-U] URL
                  The targets a portal reports (SendTargets discovery), with -s each one's LUNs: type, size,
                  vendor and product. A target that refuses the login is reported and the listing goes on
                  (the exit code is then the first failure's). A URL with a target lists that target's LUNs.
                  -s, --show-luns            log in to each target and list its LUNs
                  -U, --url                  print the targets as URLs (not with -s)
                URL: iscsi://[<user>[%<password>]@]<host>[:<port>][/<target-iqn>]
                """;
    }

    @Override
    int run(ToolOptions o, PrintStream out, PrintStream err, Map<String, String> env) {
        boolean luns = o.rest.remove("-s") | o.rest.remove("--show-luns");
        boolean urls = o.rest.remove("-U") | o.rest.remove("--url");
        IscsiUrl url = o.url(oneUrl(o, name()), IscsiUrlParser.Form.ANY, env, err);
        if (url.lun() >= 0) {
            throw new ToolOptions.UsageException("kiscsi-ls lists a portal or a target; " + url.display()
                    + " names a LUN (kiscsi-inq or kiscsi-readcap show one)");
        }
        LunListing listing = new LunListing(out, err, o.timeout);
        try (StandaloneInitiator kiscsi = new StandaloneInitiator(o.initiatorName, o.timeout)) {
            if (url.target() != null) {
                out.println("Target:" + url.target() + " Portal:" + url.portal().hostPort());
                new PortalListing(kiscsi, listing, out, o.timeout).target(url, url.target(), url.portal());
            } else {
                new PortalListing(kiscsi, listing, out, o.timeout).discover(url, o.initiatorName, luns, urls);
            }
        }
        return listing.exitCode();
    }
}
