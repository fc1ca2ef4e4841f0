package org.kiscsi.iscsid.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import org.kiscsi.mgmt.MgmtAnswer;
import org.kiscsi.mgmt.MgmtProtocol;
import org.kiscsi.mgmt.MgmtResponse;

/**
 * The daemon's own requests, outside the typed management service: version and stop (which only
 * the socket offers: in Karaf, stopping is Karaf's), and the status fields the service reports.
 */
final class DaemonRequests {
    private final Daemon daemon;

    DaemonRequests(Daemon daemon) {
        this.daemon = daemon;
    }

    CompletionStage<MgmtAnswer> version() {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("iscsid.version", daemon.settings().version());
        row.put("mgmt.protocol.version", Integer.toString(MgmtProtocol.VERSION));
        row.put("mgmt.protocol.min_version", Integer.toString(MgmtProtocol.MIN_VERSION));
        return CompletableFuture.completedFuture(MgmtAnswer.of(
                MgmtResponse.ok("iscsid version " + daemon.settings().version(), List.of(row))));
    }

    /** Answers first, then stops: the client learns the pid to wait for. */
    CompletionStage<MgmtAnswer> stop() {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("iscsid.pid", Long.toString(ProcessHandle.current().pid()));
        return CompletableFuture.completedFuture(new MgmtAnswer(MgmtResponse.ok("iscsid is stopping", List.of(row)),
                daemon::requestStop));
    }

    /** What {@code iscsiadm -m daemon} prints, in this order. */
    Map<String, String> statusRow() {
        DaemonSettings s = daemon.settings();
        Providers p = daemon.providers();
        Map<String, String> row = new LinkedHashMap<>();
        row.put("iscsid.state", daemon.stateText());
        row.put("iscsid.pid", Long.toString(ProcessHandle.current().pid()));
        row.put("iscsid.version", s.version());
        row.put("iscsid.uptime", Long.toString(Duration.between(daemon.startedAt(), Instant.now()).toSeconds()));
        row.put("iscsid.config", s.configFile().toString());
        row.put("iscsid.initiatorname_file", s.initiatorNameFile().toString());
        row.put("iscsid.pid_file", s.flags().pidFileText());
        row.put("iscsid.socket", s.socket().toString());
        row.put("iscsid.debug", Integer.toString(s.flags().debug()));
        row.put("initiator.name", daemon.identity().flatMap(i -> i.name()).map(Object::toString).orElse("<not set>"));
        row.put("initiator.alias", daemon.identity().map(i -> i.alias()).orElse(""));
        row.put("node_store.name", daemon.storeName());
        row.put("node_store.root", s.storeRoot().toString());
        row.put("node_store.state", daemon.storeState());
        row.put("providers.node_store", orNone(p.storeNames().stream().collect(Collectors.joining(","))));
        row.put("providers.session_engine", p.sessions().isPresent() ? "present" : "absent");
        row.put("providers.discovery", orNone(p.discoveryTypes().stream().map(t -> t.recordName()).sorted()
                .collect(Collectors.joining(","))));
        row.put("sessions", p.sessions().map(sm -> Integer.toString(sm.sessions().size())).orElse("n/a"));
        row.put("resync.file", s.resyncFile().toString());
        row.put("discoveryd", daemon.discoveryRunning() ? "running" : "idle");
        return row;
    }

    private static String orNone(String s) {
        return s.isEmpty() ? "none" : s;
    }
}
