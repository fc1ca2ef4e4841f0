package org.kiscsi.iscsid.internal.manage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.LunSummary;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.Capacity;
import org.kiscsi.api.scsi.Lun;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.api.session.SessionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each session's last scan found: REPORT LUNS, then standard INQUIRY and READ CAPACITY of each
 * LUN through the LUN service. A login scans once unless its record says {@code node.session.scan =
 * manual}, as open-iscsi's iscsid scans after login; {@code -R} scans again.
 */
final class LunScans {
    private static final Logger LOG = LoggerFactory.getLogger(LunScans.class);
    /** How long a login's outcome waits for its scan before it reports anyway (the scan goes on). */
    static final Duration LOGIN_SCAN_WAIT = Duration.ofSeconds(5);
    /** Peripheral device types READ CAPACITY applies to (SBC direct access, write-once, CD/DVD, optical, RBC). */
    private static final List<Integer> HAVE_CAPACITY = List.of(0x00, 0x04, 0x05, 0x07, 0x0E);

    private final Supplier<Optional<LunService>> luns;
    private final Map<Long, List<LunSummary>> found = new ConcurrentHashMap<>();

    LunScans(Supplier<Optional<LunService>> luns) {
        this.luns = luns;
    }

    static boolean scansAfterLogin(RecordValues v) {
        return !v.get("node.session.scan", "auto").trim().equalsIgnoreCase("manual");
    }

    /** After a login: scans unless the record says manual; completes when done or after {@link #LOGIN_SCAN_WAIT}, never failing. */
    CompletableFuture<Void> afterLogin(SessionInfo s, RecordValues record) {
        if (!scansAfterLogin(record) || luns.get().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return scan(s.sid()).handle((l, t) -> {
            if (t != null) {
                LOG.warn("session {}: LUN scan after login failed: {}", s.sid(), Stages.unwrap(t).getMessage());
            }
            return (Void) null;
        }).completeOnTimeout(null, LOGIN_SCAN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Scans the session again; the stage fails only when REPORT LUNS does (or there is no LUN service). */
    CompletableFuture<List<LunSummary>> scan(long sid) {
        Optional<LunService> service = luns.get();
        if (service.isEmpty()) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.OP_NOT_SUPP, "session " + sid
                    + ": cannot scan for LUNs: the SCSI layer (LunService, feature kiscsi-scsi) is not installed"));
        }
        LunService l = service.get();
        return Stages.guarded(() -> l.reportLuns(sid)).toCompletableFuture().thenCompose(numbers -> {
            List<CompletableFuture<LunSummary>> each = new ArrayList<>();
            for (long lun : numbers) {
                each.add(describe(l, sid, lun));
            }
            return Stages.all(each);
        }).thenApply(list -> {
            List<LunSummary> sorted = list.stream().filter(x -> x != null)
                    .sorted(Comparator.comparingLong(LunSummary::lun)).toList();
            found.put(sid, sorted);
            LOG.info("session {}: {} LUN(s) found", sid, sorted.size());
            return sorted;
        });
    }

    /** INQUIRY, then READ CAPACITY for block devices; null (left out, logged) when INQUIRY fails. */
    private static CompletableFuture<LunSummary> describe(LunService l, long sid, long lun) {
        return Stages.guarded(() -> l.inquiry(sid, lun)).toCompletableFuture().thenCompose(inq -> {
            if (inq.peripheralQualifier() != 0 || !HAVE_CAPACITY.contains(inq.deviceType())) {
                return CompletableFuture.completedFuture(new LunSummary(lun, inq, Optional.empty(), ""));
            }
            return Stages.guarded(() -> l.capacity(sid, lun)).toCompletableFuture()
                    .thenApply(c -> new LunSummary(lun, inq, Optional.of(c), ""))
                    .exceptionally(t -> new LunSummary(lun, inq, Optional.<Capacity>empty(),
                            "READ CAPACITY: " + Stages.unwrap(t).getMessage()));
        }).exceptionally(t -> {
            LOG.warn("session {} LUN {}: INQUIRY failed, left out of the LUN list: {}", sid, Lun.toString(lun),
                    Stages.unwrap(t).getMessage());
            return (LunSummary) null;
        });
    }

    /** The last scan's LUNs of the session, empty before its first. */
    List<LunSummary> of(long sid) {
        return found.getOrDefault(sid, List.of());
    }

    /** Forgets sessions that are gone. */
    void retain(java.util.Set<Long> live) {
        found.keySet().retainAll(live);
    }
}
