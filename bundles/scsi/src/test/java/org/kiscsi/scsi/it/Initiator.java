package org.kiscsi.scsi.it;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.scsi.BlockDeviceOptions;
import org.kiscsi.scsi.SessionLunService;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * One kiscsi initiator as an application wires it without OSGi: the session engine over the real TCP
 * transport and the LUN service over the engine; test-sized timeouts. Close it to log out.
 */
final class Initiator implements AutoCloseable {
    static final String DEFAULT_NAME = "iqn.2026-11.org.kiscsi.it:scsi";
    /** Every wait on a stage in these tests; a command itself times out after {@value #COMMAND_TIMEOUT_SECONDS} s. */
    static final int WAIT_SECONDS = 60;
    static final int COMMAND_TIMEOUT_SECONDS = 30;

    final String name;
    final TcpTransport tcp = new TcpTransport();
    final IscsiEngine engine;
    final SessionLunService luns;

    Initiator(String name, BlockDeviceOptions options) {
        this.name = name;
        this.engine = IscsiEngine.builder().initiatorName(name).transport(tcp).build();
        this.luns = new SessionLunService(engine, options);
    }

    Initiator() {
        this(DEFAULT_NAME, BlockDeviceOptions.DEFAULTS);
    }

    /** Logs in to {@code target} at {@code portal}; the session id. */
    long login(String target, Portal portal) {
        NodeRecord r = NodeRecord.create(new NodeKey(IscsiName.of(target), portal, null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "5").with(NodeKeys.LOGOUT_TIMEOUT, "5")
                .with(NodeKeys.SCSI_CMD_TIMEOUT, Integer.toString(COMMAND_TIMEOUT_SECONDS))
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0"));
        return await(engine.login(r)).sid();
    }

    /** Records each rescan the engine's sessions ask for, as "sid lun reason", into {@code events}. */
    void recordRescans(Events<String> events) {
        engine.addListener(new SessionListener() {
            @Override
            public void rescanNeeded(long sid, long lun, String reason) {
                events.add(sid + " " + lun + " " + reason);
            }
        });
    }

    /** Opens {@code lun} of session {@code sid} through the LUN service. */
    BlockDevice open(long sid, long lun) {
        return await(luns.open(sid, lun));
    }

    /** The stage's value; its failure unwrapped and rethrown; a bounded wait. */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = unwrap(e);
            throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no result within " + WAIT_SECONDS + " s", e);
        }
    }

    /** The exception {@code stage} fails with, unwrapped; fails the test when it succeeds or fails otherwise. */
    static <X extends Throwable> X failure(Class<X> type, CompletionStage<?> stage) {
        try {
            Object v = stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected " + type.getSimpleName() + ", the stage completed with " + v);
        } catch (ExecutionException e) {
            Throwable c = unwrap(e);
            if (!type.isInstance(c)) {
                throw new AssertionError("expected " + type.getSimpleName() + ", got " + c, c);
            }
            return type.cast(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + WAIT_SECONDS + " s", e);
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable c = e;
        while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * Closes each of {@code inOrder} that is set (an initiator before the targets it is logged in
     * to), the later ones even when an earlier close fails; the first failure is thrown.
     */
    static void closeInOrder(AutoCloseable... inOrder) throws Exception {
        Exception first = null;
        for (AutoCloseable c : inOrder) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        luns.close();
        engine.close();
        tcp.close();
    }
}
