package org.kiscsi.iscsiadm.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.kiscsi.api.IscsiError;
import org.kiscsi.mgmt.MgmtOp;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;

/**
 * {@code iscsiadm -k 0}: asks the daemon to stop now and waits until its process is gone, so a
 * script can start another at once. Only priority 0 exists, as in open-iscsi.
 */
final class StopDaemon {
    private final Duration exitWait;

    StopDaemon(Duration exitWait) {
        this.exitWait = exitWait;
    }

    int run(String priority, DaemonClient daemon) throws ClientException {
        if (!priority.trim().equals("0")) {
            throw new ClientException(IscsiError.INVAL, "invalid killiscsid priority '" + priority
                    + "': only 0 (stop at once) is supported");
        }
        MgmtResponse r = daemon.call(MgmtRequest.of(MgmtOp.STOP));
        Optional<Long> pid = r.rows().isEmpty() ? Optional.empty()
                : Optional.ofNullable(r.rows().get(0).get("iscsid.pid")).map(Long::valueOf);
        if (pid.isEmpty()) {
            return 0;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid.get());
        if (p.isEmpty()) {
            return 0;
        }
        try {
            p.get().onExit().get(exitWait.toMillis(), TimeUnit.MILLISECONDS);
            return 0;
        } catch (TimeoutException e) {
            throw new ClientException(IscsiError.REQ_TIMEDOUT, "the iSCSI daemon (pid " + pid.get()
                    + ") accepted the stop but is still running after " + exitWait.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(IscsiError.GENERIC, "interrupted while waiting for the daemon to stop");
        } catch (ExecutionException e) {
            return 0;
        }
    }
}
