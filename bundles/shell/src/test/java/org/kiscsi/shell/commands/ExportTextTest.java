package org.kiscsi.shell.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.export.ExportInfo;
import org.kiscsi.api.export.ExportSpec;
import org.kiscsi.api.export.ExportState;
import org.kiscsi.api.node.NodeKey;

class ExportTextTest {
    private static final NodeKey RECORD = new NodeKey(IscsiName.of("iqn.2026-11.com.example:disk1"), Portal.parse("192.0.2.10:3260,1"), null);
    private static final List<String> LISTENERS = List.of("unix:/opt/kiscsi/run/nbd/nbd.sock", "tcp:127.0.0.1:10809");

    @Test
    void aServingExportShowsItsSessionSizeClientsAndUris() {
        ExportInfo e = new ExportInfo(new ExportSpec("disk1", RECORD, 1, false), ExportState.READY, 3, 67108864, 512, 1, true, "");
        assertEquals("""
                disk1: READY, session 3, LUN 1 of 192.0.2.10:3260,1 iqn.2026-11.com.example:disk1 (configured)
                \t67108864 bytes in blocks of 512, 1 client
                \tnbd+unix:///disk1?socket=/opt/kiscsi/run/nbd/nbd.sock
                \tnbd://127.0.0.1:10809/disk1
                """, ExportText.list(List.of(e), LISTENERS));
    }

    @Test
    void aWaitingOrFailedExportSaysWhy() {
        ExportInfo w = new ExportInfo(new ExportSpec("d", RECORD, 0, true), ExportState.WAITING, -1, 0, 0, 0, false, "no session");
        assertEquals("d: WAITING, LUN 0 of 192.0.2.10:3260,1 iqn.2026-11.com.example:disk1, read-only (this run only)\n"
                + "\tno session\n", ExportText.export(w, List.of()));
        ExportInfo f = new ExportInfo(new ExportSpec("d", RECORD, 9, false), ExportState.FAILED, -1, 0, 0, 0, false, "no LUN 9");
        assertEquals("\tfailed: no LUN 9\n", ExportText.export(f, List.of()).lines().skip(1).findFirst().orElseThrow() + "\n");
        assertEquals("No NBD exports (listening on nothing)\n", ExportText.list(List.of(), List.of()));
        assertEquals("Export 'd' removed (2 clients disconnected)\n", ExportText.removed(
                new ExportInfo(new ExportSpec("d", RECORD, 0, false), ExportState.READY, 1, 512, 512, 2, false, "")));
    }
}
