package org.kiscsi.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.kiscsi.api.Portal;
import org.kiscsi.api.scsi.Await;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.export.nbd.NbdExport;
import org.kiscsi.export.nbd.NbdServer;
import org.kiscsi.export.nbd.NbdServerOptions;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.tools.standalone.StandaloneInitiator;
import org.kiscsi.tools.url.IscsiUrlParser;

/**
 * tgtd, a target on it, kiscsi embedded as bin/kiscsi-nbd embeds it and an NBD server on a Unix socket in
 * a fresh directory: what the NBD runtime tests share. Shell scripts run in that directory.
 */
final class NbdFixture implements AutoCloseable {
    final Tgtd tgtd;
    final TgtTarget target;
    final StandaloneInitiator kiscsi;
    final NbdServer server;
    final Path dir;
    final Path socket;

    NbdFixture(String iqn, String initiator) throws IOException {
        tgtd = Tgtd.start(Loopback.IPV4);
        target = tgtd.createTarget(iqn);
        target.allowAll();
        kiscsi = new StandaloneInitiator(initiator, Duration.ofSeconds(20));
        server = NbdServer.start(NbdServerOptions.DEFAULTS);
        dir = Files.createTempDirectory("kiscsi-nbd-it");
        socket = server.listenUnix(dir.resolve("run/nbd.sock"));
    }

    /** Logs in to the target at {@code portal} (tgtd's own, or a proxy's); the session id. */
    long login(Portal portal) {
        return kiscsi.login(IscsiUrlParser.parse(target.url(1).uri(), IscsiUrlParser.Form.LUN, Map.of()), target.iqn(), portal);
    }

    /** Serves LUN {@code lun} of session {@code sid} as {@code name}. */
    void export(String name, long sid, int lun, boolean readOnly) {
        BlockDevice d = kiscsi.open(sid, lun, target.iqn());
        server.addExport(Await.result(NbdExport.open(name, "tgtd LUN " + lun, d, readOnly), Duration.ofSeconds(20), "export " + name));
    }

    String uri(String export) {
        return "nbd+unix:///" + export + "?socket=" + socket;
    }

    /** Runs a shell script in {@link #dir}; its standard output and error, failing on a non-zero exit. */
    String sh(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -e -o pipefail; " + script).directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + script);
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), script + "\n" + text);
        return text;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try {
                kiscsi.close();
            } finally {
                tgtd.close();
            }
        }
    }
}
