package org.kiscsi.shell.commands;

import java.util.List;

import org.kiscsi.api.export.ExportInfo;
import org.kiscsi.api.export.ExportState;

/** What the {@code iscsi:export-*} commands print, all in one place. */
final class ExportText {
    private ExportText() {
    }

    /** Every export, then where clients connect; a line saying there is none. */
    static String list(List<ExportInfo> exports, List<String> listeners) {
        if (exports.isEmpty()) {
            return "No NBD exports (listening on " + (listeners.isEmpty() ? "nothing" : String.join(", ", listeners)) + ")\n";
        }
        StringBuilder b = new StringBuilder();
        exports.forEach(e -> b.append(export(e, listeners)));
        return b.toString();
    }

    /**
     * {@code disk1: READY, session 1, LUN 1 of 192.0.2.10:3260,1 iqn... (configured)}, then its size and
     * clients, why it waits or failed, and its URIs.
     */
    static String export(ExportInfo e, List<String> listeners) {
        StringBuilder b = new StringBuilder();
        b.append(e.spec().name().isEmpty() ? "(default)" : e.spec().name()).append(": ").append(e.state());
        if (e.sid() >= 0) {
            b.append(", session ").append(e.sid());
        }
        b.append(", LUN ").append(e.spec().lun()).append(" of ").append(e.spec().node());
        if (e.spec().readOnly()) {
            b.append(", read-only");
        }
        b.append(e.configured() ? " (configured)" : " (this run only)").append('\n');
        if (e.size() > 0) {
            b.append("\t").append(e.size()).append(" bytes in blocks of ").append(e.blockSize()).append(", ")
                    .append(e.clients()).append(e.clients() == 1 ? " client" : " clients").append('\n');
        }
        if (!e.detail().isEmpty()) {
            b.append("\t").append(e.state() == ExportState.FAILED ? "failed: " : "").append(e.detail()).append('\n');
        }
        for (String l : listeners) {
            b.append("\t").append(uri(l, e.spec().name())).append('\n');
        }
        return b.toString();
    }

    static String added(ExportInfo e, List<String> listeners) {
        return "Export '" + e.spec().name() + "' added\n" + export(e, listeners);
    }

    static String removed(ExportInfo e) {
        return "Export '" + e.spec().name() + "' removed" + (e.clients() > 0 ? " (" + e.clients() + " client"
                + (e.clients() == 1 ? "" : "s") + " disconnected)" : "") + "\n";
    }

    /** The NBD URI of {@code export} on a listener ({@code unix:/path} or {@code tcp:host:port}). */
    static String uri(String listener, String export) {
        if (listener.startsWith("unix:")) {
            return "nbd+unix:///" + export + "?socket=" + listener.substring("unix:".length());
        }
        if (listener.startsWith("tcp:")) {
            return "nbd://" + listener.substring("tcp:".length()) + "/" + export;
        }
        return listener;
    }
}
