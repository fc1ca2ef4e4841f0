package org.kiscsi.tools.cli;

import java.io.PrintStream;
import java.util.Map;

import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.tools.lun.CapacityReport;
import org.kiscsi.tools.standalone.StandaloneInitiator;
import org.kiscsi.tools.url.IscsiUrl;
import org.kiscsi.tools.url.IscsiUrlParser;

/** {@code kiscsi-readcap}: READ CAPACITY (16), as libiscsi's {@code iscsi-readcapacity16}. */
public final class KiscsiReadcap extends Tool {
    public static void main(String[] args) {
        exit(new KiscsiReadcap(), args);
    }

    @Override
    String name() {
        return "kiscsi-readcap";
    }

    @Override
    String usage() {
        return """
                Usage: kiscsi-readcap [options] [-s] URL
                  READ CAPACITY (16) of a LUN: last LBA, block length, protection (P_TYPE, PROT_EN,
                  P_I_EXPONENT), physical blocks, provisioning (LBPME, LBPRZ), lowest aligned LBA, total size.
                  -s, --size                 only the size in bytes
                """;
    }

    @Override
    int run(ToolOptions o, PrintStream out, PrintStream err, Map<String, String> env) {
        boolean sizeOnly = o.rest.remove("-s") | o.rest.remove("--size");
        IscsiUrl url = o.url(oneUrl(o, name()), IscsiUrlParser.Form.LUN, env, err);
        try (StandaloneInitiator kiscsi = new StandaloneInitiator(o.initiatorName, o.timeout)) {
            BlockDevice d = kiscsi.openLun(url);
            CapacityReport c = CapacityReport.read(d, url.display(), o.timeout);
            if (sizeOnly) {
                out.println(c.totalBytes());
            } else {
                c.print(out);
            }
        }
        return 0;
    }
}
