package org.kiscsi.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.protocol.Opcode;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.proxy.FaultProxy;
import org.kiscsi.testkit.proxy.FaultProxy.Direction;

/**
 * nbdcopy through the export while the iSCSI connection to tgtd is cut under it (the testkit's fault
 * proxy between kiscsi and tgtd resets both sides mid-copy): the session recovers, the requests held
 * meanwhile are served, and the copy completes with the data intact, both ways.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NbdUnderCutIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:nbd-cut";
    private static NbdFixture f;
    private static FaultProxy proxy;

    @BeforeAll
    static void start() throws IOException {
        f = new NbdFixture(IQN, "iqn.2026-11.org.kiscsi:nbd-cut-it");
        f.target.addLun(1, LunBacking.file(64 << 20));
        proxy = FaultProxy.start(f.tgtd.portal());
        f.export("cut", f.login(proxy.portal()), 1, false);
    }

    @AfterAll
    static void stop() {
        try {
            if (f != null) {
                f.close();
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    @Test
    void nbdcopyCompletesWithEqualChecksumsAcrossCutConnections() throws Exception {
        f.sh("head -c 67108864 /dev/urandom > src.img");
        long logins = loggedInConnections();

        // a Data-Out well into the 64 MiB write (tgtd takes 8 KiB per PDU: about 8000 of them in all)
        proxy.cutOnNext(Direction.TO_TARGET, Opcode.DATA_OUT, 2000);
        f.sh("nbdcopy src.img '" + f.uri("cut") + "'");
        assertTrue(proxy.faultDone(), "the connection was cut during the write");
        assertEquals(logins + 1, loggedInConnections(), "one new login after the cut: " + proxy.logins());

        // a Data-In well into the read back
        proxy.cutOnNext(Direction.TO_INITIATOR, Opcode.DATA_IN, 100);
        String out = f.sh("nbdcopy '" + f.uri("cut") + "' back.img; sha256sum src.img back.img | cut -d' ' -f1 | uniq | wc -l");
        assertTrue(proxy.faultDone(), "the connection was cut during the read");
        assertEquals(logins + 2, loggedInConnections(), proxy.logins().toString());
        assertEquals("1", out.trim(), "src.img and back.img have one checksum");
    }

    /** Connections on which the proxy saw a login (each login is two Login Requests: security, then operational). */
    private static long loggedInConnections() {
        return proxy.logins().stream().mapToInt(l -> l.connection()).distinct().count();
    }
}
