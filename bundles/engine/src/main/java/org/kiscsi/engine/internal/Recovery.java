package org.kiscsi.engine.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.session.RecoveryStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session recovery at error recovery level 0: after a connection fails, wait Time2Wait, log in again
 * with the session's ISID and TSIH 0 (the target reinstates the I_T nexus and ends the old session's
 * tasks), then send the held commands again. Commands wait at most
 * {@code node.session.timeo.replacement_timeout}; the session keeps trying after that
 * ({@code node.session.reopen_max} times, or for ever when 0) and returns by itself when the target
 * does. Its fields are guarded by the session's lock; timers call back without it.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    /** The shortest wait between two attempts, whatever Time2Wait says (0 would spin against a dead portal). */
    static final Duration MIN_RETRY_DELAY = Duration.ofSeconds(1);

    private final SessionImpl session;
    private boolean active;
    private boolean reinstating;
    private boolean commandsFailed;
    private boolean abandoned;
    private int attempts;
    private Throwable lastFailure;
    private ScheduledFuture<?> replacementTimer;
    private ScheduledFuture<?> reconnectTimer;
    /** System.nanoTime() before which no attempt may start: the connection's end plus Time2Wait. */
    private long notBefore;

    Recovery(SessionImpl session) {
        this.session = session;
    }

    RecoveryStage stage() {
        if (abandoned) {
            return RecoveryStage.ABANDONED;
        }
        if (!active) {
            return RecoveryStage.NONE;
        }
        if (commandsFailed) {
            return RecoveryStage.COMMANDS_FAILED;
        }
        return reinstating ? RecoveryStage.REINSTATING : RecoveryStage.WAITING;
    }

    boolean active() {
        return active;
    }

    /** Whether commands submitted now must fail at once rather than wait for the session. */
    boolean refusesCommands() {
        return commandsFailed || session.settings().recovery().replacementTimeout().isZero();
    }

    /** The connection failed: start recovering (or go on, if this was a reconnection that failed right away). */
    void start(Throwable cause, Duration time2Wait) {
        lastFailure = cause;
        if (!active) {
            active = true;
            attempts = 0;
            commandsFailed = false;
            Duration replacement = session.settings().recovery().replacementTimeout();
            if (replacement.isZero()) {
                commandsFailed = true;
                session.failHeld(replacementMessage());
            } else if (!replacement.isNegative()) {
                replacementTimer = session.engine().scheduler().schedule(this::replacementTimeout, replacement.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
        reinstating = false;
        notBefore = System.nanoTime() + time2Wait.toNanos();
        schedule(time2Wait);
    }

    private void schedule(Duration delay) {
        cancel(reconnectTimer);
        reconnectTimer = session.engine().scheduler().schedule(this::reconnect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A reconnection attempt starts; false when it must not ({@code reopen_max} attempts made: the
     * session is given up, and the caller closes it).
     */
    private boolean attempt() {
        int max = session.settings().recovery().reopenMax();
        if (max > 0 && attempts >= max) {
            return false;
        }
        attempts++;
        reinstating = true;
        return true;
    }

    /** The error a session given up after {@code reopen_max} attempts closes with. */
    private IscsiException abandoned() {
        abandoned = true;
        return new IscsiException(IscsiError.SESSION_NOT_CONNECTED, session.where + ": given up after " + attempts
                + " reconnection attempt(s) (node.session.reopen_max)"
                + (lastFailure == null ? "" : "; last: " + lastFailure.getMessage()), lastFailure);
    }

    /** A reconnection attempt failed: try again after Time2Wait (at least {@link #MIN_RETRY_DELAY}). */
    private void attemptFailed(Throwable cause, Duration time2Wait) {
        lastFailure = cause;
        reinstating = false;
        Duration delay = time2Wait.compareTo(MIN_RETRY_DELAY) < 0 ? MIN_RETRY_DELAY : time2Wait;
        LOG.info("{}: reconnection attempt {} failed ({}); next in {} ms", session.where, attempts, cause.getMessage(),
                delay.toMillis());
        schedule(delay);
    }

    /** The timer: the next reconnection attempt, with the record as it is now. */
    void reconnect() {
        NodeRecord rec;
        SessionSettings s;
        synchronized (session) {
            if (!session.awaitingConnection()) {
                return;
            }
            if (!attempt()) {
                session.closeSession(abandoned());
                Runnable after = session.takeDeferred();
                after.run();
                return;
            }
            rec = session.engine().currentRecord(session.record());
            try {
                s = SessionSettings.of(rec);
                session.reread(rec, s);
            } catch (IscsiException e) {
                LOG.warn("{}: record {} is not usable now ({}); logging in with its earlier values", session.where, rec.key(),
                        e.getMessage());
                rec = session.record();
                s = session.settings();
            }
        }
        session.engine().opener().reconnect(session, rec, s).whenComplete(this::reconnected);
    }

    private void reconnected(SessionOpener.Established login, Throwable failure) {
        Runnable after;
        synchronized (session) {
            if (!session.awaitingConnection()) {
                if (login != null) {
                    session.defer(login.connection()::close); // logged out meanwhile
                }
            } else if (failure != null) {
                attemptFailed(SessionOpener.unwrap(failure), session.time2Wait());
            } else {
                succeeded();
                session.resume(login);
            }
            after = session.takeDeferred();
        }
        after.run();
    }

    /**
     * A transport came (back): a session waiting for its next attempt tries now, or once Time2Wait
     * has passed since its connection ended (RFC 7143: no new login before it).
     */
    void retryNow() {
        if (active && !reinstating) {
            schedule(Duration.ofNanos(Math.max(0, notBefore - System.nanoTime())));
        }
    }

    /** The session is back: recovery is over. */
    private void succeeded() {
        if (active) {
            LOG.info("{}: recovered after {} attempt(s)", session.where, attempts);
        }
        stop();
    }

    /** Recovery ends without success (logout, engine closing). */
    void stop() {
        active = false;
        reinstating = false;
        commandsFailed = false;
        cancel(replacementTimer);
        cancel(reconnectTimer);
        replacementTimer = null;
        reconnectTimer = null;
    }

    private void replacementTimeout() {
        Runnable after;
        synchronized (session) {
            if (!active) {
                return;
            }
            commandsFailed = true;
            LOG.warn("{}: not back within {} s (node.session.timeo.replacement_timeout): failing held commands; still trying",
                    session.where, session.settings().recovery().replacementTimeout().toSeconds());
            session.failHeld(replacementMessage());
            after = session.takeDeferred();
        }
        after.run();
    }

    String replacementMessage() {
        return session.where + ": session not recovered within " + session.settings().recovery().replacementTimeout().toSeconds()
                + " s (node.session.timeo.replacement_timeout)" + (lastFailure == null ? "" : "; connection failed: "
                + lastFailure.getMessage());
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
