package org.kiscsi.engine.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Isid;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.ConnectionInfo;
import org.kiscsi.api.session.ConnectionState;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.protocol.Opcode;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;
import org.kiscsi.protocol.pdu.Bhs;
import org.kiscsi.protocol.pdu.PduCodec;
import org.kiscsi.protocol.pdu.SequenceNumbers;
import org.kiscsi.protocol.pdu.TargetPdu;
import org.kiscsi.protocol.pdu.TextRequest;
import org.kiscsi.protocol.text.NegotiatedParameters;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TaskBuffers;
import org.kiscsi.spi.transport.TaskEnd;
import org.kiscsi.spi.transport.TaskTransfer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session: the command window, the task table, the commands waiting for a slot, its state, and
 * the paths through them (submitting, PDUs from the target, connection loss, logout, closing). It
 * outlives its connections: when one fails, outstanding commands are held, {@link Recovery} logs in
 * again with the same ISID and this session sends the held commands again on the new connection.
 * What belongs to one connection (ExpStatSN, the NOP-Out keep-alive, the logout PDU) is in
 * {@link ConnectionContext}; moving data in {@link DataMover}; timeouts' escalation in
 * {@link TaskManagement}; what target PDUs mean in {@link TargetPdus}.
 *
 * <p>Threading: state changes happen under this object's lock, taken by callers submitting work, by
 * the transport thread delivering PDUs and by the engine's timer. The lock is never held while
 * waiting. Futures complete after the lock is released ({@link #defer}), on the thread that completed
 * the work (usually the transport's): callbacks must not block.
 */
final class SessionImpl implements ScsiTaskExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(SessionImpl.class);
    /** Unit attentions a command is retried after before its CHECK CONDITION is returned. */
    static final int MAX_UNIT_ATTENTION_RETRIES = 10;

    private final Engine engine;
    final long sid;
    final SessionType type;
    final Isid isid;
    /** Which of its record's {@code nr_sessions} this is. */
    final int index;
    final NodeKey key;
    final String where;
    private final TaskTable tasks;
    private final CommandWindow window = new CommandWindow();
    private final ArrayDeque<CommandTask> waiting = new ArrayDeque<>();
    private final TaskManagement taskManagement = new TaskManagement(this);
    private final Recovery recovery = new Recovery(this);
    private final TargetPdus targetPdus = new TargetPdus(this);
    private final ScheduledFuture<?> ticker;
    private final List<Runnable> deferred = new ArrayList<>();
    /** Guarded by this, like everything that sends or handles PDUs. */
    private final SessionCounters counters = new SessionCounters();

    // guarded by this
    private NodeRecord record;
    private SessionSettings settings;
    private ConnectionContext current;
    /** The last connection's negotiated values and TSIH, for info() while recovering. */
    private NegotiatedParameters lastParams;
    private Map<String, String> lastDeclared;
    private int tsih;
    private SessionState state = SessionState.LOGGED_IN;
    private Instant since = Instant.now();
    /** The logout a caller asked for. */
    private Task.Control<Void> logout;
    /** A logout the target asked for (async event), after which the session logs in again. */
    private Task.Control<Void> recoveryLogout;
    /** New commands wait while in-flight ones finish, ahead of {@link #recoveryLogout}; until when. */
    private boolean draining;
    private long drainDeadline;

    SessionImpl(Engine engine, long sid, NodeRecord record, SessionSettings settings, SessionType type, int index,
            SessionOpener.Established login) {
        this.engine = engine;
        this.sid = sid;
        this.record = record;
        this.settings = settings;
        this.type = type;
        this.isid = login.isid();
        this.index = index;
        this.key = record.key();
        this.where = (type == SessionType.DISCOVERY ? "discovery session" : record.target().value()) + " at "
                + record.portal().hostPort() + " (sid " + sid + ")";
        // a few slots beyond cmds_max for control requests; the transport hears how many replies are due
        this.tasks = new TaskTable(settings.cmdsMax() + 8, this::repliesAwaited);
        synchronized (this) {
            attach(login);
        }
        long period = tickPeriod(settings).toMillis();
        this.ticker = engine.scheduler().scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
        synchronized (this) {
            if (state == SessionState.CLOSED) {
                ticker.cancel(false); // closed before the timer existed (a connection that died at once)
            }
        }
    }

    /** Often enough to keep every timeout of the record to within a quarter of itself. */
    static Duration tickPeriod(SessionSettings s) {
        SessionSettings.RecoverySettings r = s.recovery();
        long shortest = Math.min(s.commandTimeout().toMillis(), r.noopOutTimeout().toMillis());
        if (!r.noopOutInterval().isZero()) {
            shortest = Math.min(shortest, r.noopOutInterval().toMillis());
        }
        shortest = Math.min(shortest, Math.min(r.abortTimeout().toMillis(), s.logoutTimeout().toMillis()));
        return Duration.ofMillis(Math.max(50, Math.min(1000, shortest / 4)));
    }

    private void repliesAwaited(int n) {
        ConnectionContext c = current;
        if (c != null) {
            c.transport().repliesAwaited(n);
        }
    }

    /** Makes a freshly logged-in connection the session's. */
    private void attach(SessionOpener.Established login) {
        ConnectionContext c = new ConnectionContext(this, login.connection(), login.result().parameters(),
                login.result().declaredByTarget(), login.result().tsih(), login.result().statSn(), System.nanoTime());
        current = c;
        counters.login(login.connection().loginRequests, login.connection().loginResponses);
        lastParams = c.params;
        lastDeclared = c.declared;
        tsih = c.tsih;
        window.reset(login.result().expCmdSn(), login.result().maxCmdSn());
        login.connection().handOver(c);
        c.transport().repliesAwaited(tasks.outstanding());
    }

    // ---------------------------------------------------------------- what the parts use

    Engine engine() {
        return engine;
    }

    SessionSettings settings() {
        return settings;
    }

    TaskTable tasks() {
        return tasks;
    }

    /** Tasks this session holds: in its task table and waiting for a slot or for recovery. */
    synchronized int tasksHeld() {
        return tasks.outstanding() + waiting.size();
    }

    CommandWindow window() {
        return window;
    }

    ConnectionContext current() {
        return current;
    }

    TaskManagement taskManagement() {
        return taskManagement;
    }

    synchronized NodeRecord record() {
        return record;
    }

    /** Runs {@code r} once the lock is released (future completions: callbacks must not run under the lock). */
    void defer(Runnable r) {
        deferred.add(r);
    }

    /** Takes what {@link #defer} collected, to run after the caller leaves the lock. */
    Runnable takeDeferred() {
        if (deferred.isEmpty()) {
            return () -> { };
        }
        List<Runnable> todo = new ArrayList<>(deferred);
        deferred.clear();
        return () -> todo.forEach(Runnable::run);
    }

    // ---------------------------------------------------------------- submitting

    @Override
    public CompletionStage<ScsiResult> execute(ScsiTask task) {
        CompletableFuture<ScsiResult> f = new CompletableFuture<>();
        CommandTask t = new CommandTask(task, f);
        IscsiException refused = null;
        Runnable after = null;
        synchronized (this) {
            if (state == SessionState.LOGGED_IN) {
                if (waiting.isEmpty() && !draining && canStart()) {
                    start(t);
                    after = takeDeferred(); // a command the transport refused fails outside the lock
                } else {
                    waiting.add(t);
                }
            } else if (state == SessionState.RECOVERING && !recovery.refusesCommands()) {
                waiting.add(t); // held until the session is back or replacement_timeout
            } else {
                refused = notUsable("cannot send " + t.describe());
            }
        }
        if (after != null) {
            after.run();
        }
        if (refused != null) {
            f.completeExceptionally(refused);
        }
        return f;
    }

    @Override
    public int queueDepth() {
        return settings.cmdsMax();
    }

    /** Yes: a command is sent again after a unit attention, and rescans are raised here. */
    @Override
    public boolean retriesUnitAttentions() {
        return true;
    }

    @Override
    public CompletionStage<Void> resetLogicalUnit(long lun) {
        return reset(TaskManagement.Step.LUN_RESET, lun);
    }

    @Override
    public CompletionStage<Void> resetTarget() {
        return reset(TaskManagement.Step.TARGET_RESET, 0);
    }

    private CompletionStage<Void> reset(TaskManagement.Step step, long lun) {
        CompletableFuture<Void> f;
        Runnable after;
        synchronized (this) {
            IscsiException refused = state == SessionState.LOGGED_IN ? null : notUsable("cannot send " + step.text);
            if (refused != null) {
                return CompletableFuture.failedFuture(refused);
            }
            f = taskManagement.reset(step, lun);
            after = takeDeferred();
        }
        after.run();
        return f;
    }

    private IscsiException notUsable(String what) {
        String s = state.name().toLowerCase(Locale.ROOT);
        if (state == SessionState.RECOVERING) {
            return new IscsiException(IscsiError.SESSION_NOT_CONNECTED, recovery.replacementMessage() + ": " + what);
        }
        return new IscsiException(IscsiError.SESSION_NOT_CONNECTED, where + " is " + s + ": " + what);
    }

    /**
     * Whether a command may go now: a free slot within cmds_max and the transport's limit on
     * unanswered PDUs (one place of which stays free for a control request), and an open window.
     */
    private boolean canStart() {
        int limit = current == null ? Integer.MAX_VALUE : current.unexpectedLimit;
        int commands = limit == Integer.MAX_VALUE ? settings.cmdsMax() : Math.min(settings.cmdsMax(), Math.max(1, limit - 1));
        return tasks.outstanding() < commands && window.isOpen();
    }

    /** Whether a control request (text, task management, logout) may go now: a free tag within the transport's limit. */
    boolean roomForRequest() {
        return tasks.hasFreeSlot() && (current == null || tasks.outstanding() < current.unexpectedLimit);
    }

    private void start(CommandTask t) {
        tasks.add(t);
        t.resetAttempt();
        if (current.connection.announcesTasks && !announce(t)) {
            return;
        }
        t.cmdSn = window.take();
        long now = System.nanoTime();
        if (t.sends++ == 0) {
            t.firstSent = now;
        }
        t.deadline = now + settings.commandTimeout().toNanos();
        t.timedOut = false; // a new attempt under a new tag: an ABORT TASK of the last one is about that tag only
        t.mayHaveRun = true;
        current.mover.start(t, t.cmdSn);
    }

    /**
     * Hands the task's buffers to the transport; false when it refused them (its registered memory is
     * used up): the command then fails alone, before it took a CmdSN.
     */
    private boolean announce(CommandTask t) {
        ScsiTask s = t.scsi;
        int out = t.writes() ? s.outLength() : 0;
        int in = t.reads() ? s.expectedInLength() : 0;
        int unsolicited = current.connection.unsolicitedBySend ? current.mover.unsolicitedLength(t) : 0;
        try {
            current.transport().taskStarted(new TaskBuffers(t.itt, s.direction(), out > 0 ? s.dataOut() : null, out,
                    in > 0 ? s.dataIn() : null, in, unsolicited));
            return true;
        } catch (IscsiException e) {
            tasks.remove(t);
            defer(() -> t.fail(e));
            return false;
        }
    }

    /**
     * Tells the transport of {@code c} that a command's buffers are free again; before the task
     * leaves the table (its ITT is still the one announced). Under the lock.
     */
    TaskTransfer taskEnded(ConnectionContext c, Task t, TaskEnd end) {
        if (c == null || !c.connection.announcesTasks || !(t instanceof CommandTask) || t.itt == -1) {
            return TaskTransfer.NONE;
        }
        return c.transport().taskEnded(t.itt, end);
    }

    /** Starts waiting commands while slots and the window allow. */
    void drain() {
        long now = System.nanoTime();
        while (!waiting.isEmpty() && state == SessionState.LOGGED_IN && !draining && canStart()) {
            CommandTask t = waiting.poll();
            IscsiException spent = ResendBudget.spent(t, now, settings.commandTimeout(), where);
            if (spent != null) {
                LOG.warn(spent.getMessage());
                defer(() -> t.fail(spent));
                continue;
            }
            start(t);
        }
    }

    /** A command goes again first (after a unit attention: the target did not run it). */
    void requeue(CommandTask t) {
        waiting.addFirst(t);
    }

    /** The attempt of a command under tag {@code itt} was ended by task management: its caller hears of it. */
    void taskGone(CommandTask c, int itt, String how) {
        if (c.itt != itt || tasks.get(itt) != c) {
            return; // it completed meanwhile, or went again under a new tag (after a unit attention)
        }
        taskEnded(current, c, TaskEnd.ABORTED);
        tasks.remove(c);
        IscsiException e = new IscsiException(IscsiError.REQ_TIMEDOUT, where + ": " + c.describe() + " timed out after "
                + settings.commandTimeout().toSeconds() + " s (node.session.scsi.cmd_timeout) and was " + how);
        defer(() -> c.fail(e));
    }

    /**
     * Every command of {@code lun} (all LUNs when null) ended at the target without an answer (a
     * reset, a task termination): those that timed out fail, repeatable ones go again, others fail
     * saying they may have executed.
     */
    void tasksGone(Long lun, String how) {
        List<CommandTask> again = new ArrayList<>();
        for (Task t : tasks.all()) {
            if (t instanceof CommandTask c && (lun == null || c.scsi.lun() == lun)) {
                taskEnded(current, c, TaskEnd.ABORTED);
                tasks.remove(c);
                if (c.timedOut) {
                    IscsiException e = new IscsiException(IscsiError.REQ_TIMEDOUT, where + ": " + c.describe() + " timed out after "
                            + settings.commandTimeout().toSeconds() + " s (node.session.scsi.cmd_timeout) and was ended by " + how);
                    defer(() -> c.fail(e));
                } else if (!c.scsi.repeatable()) {
                    IscsiException e = new IscsiException(IscsiError.TRANS, where + ": " + c.describe() + " was ended by " + how
                            + " and is not safe to repeat; it may have executed");
                    defer(() -> c.fail(e));
                } else {
                    c.retries++;
                    c.lastLoss = how;
                    again.add(c);
                }
            }
        }
        requeueFirst(again);
        drain();
    }

    /** Puts commands back at the head of the queue, in the order they were first sent. */
    private void requeueFirst(List<CommandTask> commands) {
        commands.sort(Comparator.comparingInt((CommandTask c) -> c.cmdSn - commands.get(0).cmdSn));
        for (int i = commands.size() - 1; i >= 0; i--) {
            waiting.addFirst(commands.get(i));
        }
    }

    // ---------------------------------------------------------------- control requests

    /** Sends a Text request and completes with the whole answer (continuations followed). */
    CompletableFuture<List<ByteBuffer>> text(byte[] text) {
        TargetPdus.TextExchange x = new TargetPdus.TextExchange();
        IscsiException refused = null;
        synchronized (this) {
            if (state != SessionState.LOGGED_IN) {
                refused = notUsable("cannot send a Text request");
            } else if (!roomForRequest()) {
                refused = new IscsiException(IscsiError.BUSY, where + ": no free task tag for a Text request"
                        + " (or the transport's limit on unanswered PDUs is reached)");
            } else {
                tasks.add(x);
                sendText(x, 0xFFFFFFFF, ByteBuffer.wrap(text));
            }
        }
        if (refused != null) {
            x.future.completeExceptionally(refused);
        }
        return x.future;
    }

    void sendText(TargetPdus.TextExchange x, int ttt, ByteBuffer data) {
        // each answer PDU restarts the wait (active_timeout for a discovery session), as open-iscsi's discovery
        x.deadline = System.nanoTime() + settings.waits().text().toNanos();
        // text requests take a CmdSN (non-immediate), as SendTargets in the full feature phase does
        current.send(new TextRequest(false, true, false, 0, x.itt, ttt, window.take(), current.expStatSn, data));
    }

    /** Logs out (reason: close the session) and closes the connection; ends a recovery under way. */
    CompletableFuture<Void> logout() {
        Task.Control<Void> l;
        Runnable after;
        synchronized (this) {
            if (logout != null) {
                return logout.future;
            }
            l = new Task.Control<>("Logout request");
            logout = l;
            if (state == SessionState.CLOSED) {
                l.future.complete(null);
                return l.future;
            }
            ConnectionContext c = current;
            setState(SessionState.LOGGING_OUT);
            if (c == null || recoveryLogout != null || !roomForRequest()) {
                // nothing to say to the target (or it is logging out already): just close
                closeSession(null);
            } else {
                c.logout(l, tasks, System.nanoTime() + settings.logoutTimeout().toNanos(), window.current());
            }
            after = takeDeferred();
        }
        after.run();
        return l.future;
    }

    /** Whether {@code t} is the caller's logout (as opposed to one the target asked for). */
    boolean isLogout(Task t) {
        return t == logout;
    }

    boolean isRecoveryLogout(Task t) {
        return t == recoveryLogout;
    }

    /** The target asked for a logout (or renegotiation): let what is in flight finish, then log out and in again. */
    void drainAndRelogin(Duration within) {
        if (draining || recoveryLogout != null || state != SessionState.LOGGED_IN) {
            return;
        }
        draining = true;
        drainDeadline = System.nanoTime() + within.toNanos();
        current.connection.state = ConnectionState.LOGOUT_REQUESTED;
        maybeLogoutForRecovery(System.nanoTime());
    }

    /** Once draining is done (no command in flight, or its time is up), sends the logout the target asked for. */
    void maybeLogoutForRecovery(long now) {
        ConnectionContext c = current;
        if (!draining || c == null) {
            return;
        }
        boolean busy = false;
        for (Task t : tasks.all()) {
            busy |= t instanceof CommandTask;
        }
        if (busy && now - drainDeadline < 0) {
            return;
        }
        draining = false;
        if (!roomForRequest()) {
            dropConnection(new IscsiException(IscsiError.LOGOUT, "no free task tag (within the transport's limit) for the"
                    + " logout the target asked for"));
            return;
        }
        Task.Control<Void> l = new Task.Control<>("Logout request (asked by the target)");
        recoveryLogout = l;
        c.logout(l, tasks, now + settings.logoutTimeout().toNanos(), window.current());
    }

    /** The logout the target asked for is answered: the connection goes, the session logs in again after Time2Wait. */
    void recoveryLogoutAnswered(int time2Wait) {
        tasks.remove(recoveryLogout);
        recoveryLogout = null;
        ConnectionContext c = current;
        lost(c, new IscsiException(IscsiError.LOGOUT, "logged out at the target's request"), Duration.ofSeconds(time2Wait));
        defer(c.connection::close);
    }

    // ---------------------------------------------------------------- from the transport

    ByteBuffer placementFor(ConnectionContext c, ByteBuffer header) {
        if (Bhs.opcodeBits(header) != Opcode.DATA_IN.code()) {
            return null;
        }
        int len = org.kiscsi.protocol.Framing.dataSegmentLength(header);
        int offset = header.getInt(40);
        synchronized (this) {
            Task t = c == current ? tasks.get(Bhs.itt(header)) : null;
            if (t instanceof CommandTask ct && ct.reads() && offset >= 0 && len > 0
                    && (long) offset + len <= ct.scsi.expectedInLength()) {
                ct.placedOffset = offset;
                return DataMover.slice(ct.scsi.dataIn(), offset, len);
            }
        }
        return null;
    }

    void received(ConnectionContext c, PduBuffer buffer) {
        Task done = null;
        Object outcome = null;
        Runnable after = null;
        boolean released = false;
        try {
            if (!buffer.dataDigestOk()) {
                synchronized (this) {
                    counters.digestError();
                }
                throw new ProtocolException(Kind.DATA_DIGEST, where + ": data digest error in a "
                        + Opcode.of(buffer.header().get(0)) + " PDU");
            }
            TargetPdu pdu = PduCodec.decodeTargetPdu(buffer.header(), buffer.data());
            synchronized (this) {
                if (c != current) {
                    return; // a connection the session has given up: whatever it still brings is stale
                }
                c.lastReceived = System.nanoTime();
                ByteBuffer h = buffer.header();
                counters.received(pdu.opcode(), org.kiscsi.protocol.Framing.dataSegmentLength(h));
                switch (pdu.opcode()) {
                    case NOP_IN, SCSI_RESPONSE, TASK_MGMT_RESPONSE, TEXT_RESPONSE, DATA_IN, LOGOUT_RESPONSE, R2T,
                            ASYNC_MESSAGE, REJECT -> {
                        window.update(SequenceNumbers.expCmdSn(h), SequenceNumbers.maxCmdSn(h));
                        c.acknowledge(pdu, h);
                    }
                    default -> throw new ProtocolException(Kind.SEQUENCE, where + ": unexpected " + pdu.opcode()
                            + " in full feature phase");
                }
                TargetPdus.Completion done1 = targetPdus.dispatch(c, pdu);
                if (done1 != null) {
                    done = done1.task();
                    outcome = done1.outcome();
                }
                if (draining) {
                    maybeLogoutForRecovery(c.lastReceived);
                }
                drain();
                if (!deferred.isEmpty()) {
                    after = takeDeferred();
                }
            }
        } catch (RuntimeException e) {
            buffer.release(); // before the connection closes under it
            released = true;
            failConnection(c, e);
            return;
        } finally {
            if (!released) {
                buffer.release();
            }
        }
        if (done != null) {
            TargetPdus.complete(done, outcome);
        }
        if (after != null) {
            after.run();
        }
    }

    /** The transport closed the connection (the target or the network did). */
    void connectionClosed(ConnectionContext c, Throwable cause) {
        Runnable after;
        synchronized (this) {
            if (c != current) {
                return;
            }
            if (cause instanceof ProtocolException p && p.kind() == Kind.HEADER_DIGEST) {
                counters.digestError();
            }
            if (state == SessionState.LOGGING_OUT) {
                closeSession(null); // the target closes after answering a logout, or instead of it
            } else {
                lost(c, new IscsiException(IscsiError.TRANS, closedMessage(c, cause), cause), time2Wait());
            }
            after = takeDeferred();
        }
        after.run();
    }

    /** The transport closed the connection before the session took it over. */
    void connectionClosedRightAfterLogin() {
        ConnectionContext c;
        synchronized (this) {
            c = current;
        }
        if (c != null) {
            connectionClosed(c, new IscsiException(IscsiError.TRANS, "connection closed right after login"));
        }
    }

    /** Closes the session at once, without a logout (the engine closing, a logout that could not be waited for). */
    void close(Throwable why) {
        Runnable after;
        synchronized (this) {
            closeSession(why);
            after = takeDeferred();
        }
        after.run();
    }

    /** Why a connection closed, naming where once (a transport's own message usually names it already). */
    private static String closedMessage(ConnectionContext c, Throwable cause) {
        String where = c.remoteAddress();
        if (cause == null || cause.getMessage() == null) {
            return "connection to " + where + " closed by the target";
        }
        return cause.getMessage().contains(where) ? cause.getMessage() : "connection to " + where + " closed: " + cause.getMessage();
    }

    /** A failure found on the connection (a PDU that breaks the protocol, a digest error): drop it and recover. */
    private void failConnection(ConnectionContext c, Throwable cause) {
        Runnable after;
        synchronized (this) {
            if (c != current) {
                return;
            }
            dropConnection(cause);
            after = takeDeferred();
        }
        after.run();
    }

    /** Gives up the current connection with this cause and starts recovery. Under the lock. */
    void dropConnection(Throwable cause) {
        dropConnection(cause, time2Wait());
    }

    void dropConnection(Throwable cause, Duration time2Wait) {
        ConnectionContext c = current;
        if (c == null) {
            return;
        }
        LOG.warn("{}: {}", where, cause.getMessage());
        if (state == SessionState.LOGGING_OUT) {
            closeSession(cause);
        } else {
            lost(c, cause, time2Wait);
        }
        defer(c.connection::close);
    }

    /** DefaultTime2Wait as the last login negotiated it. */
    Duration time2Wait() {
        return Duration.ofSeconds(lastParams == null ? 2 : lastParams.defaultTime2Wait());
    }

    /**
     * The connection is gone: hold its commands, fail its control requests, and recover — or close,
     * for a discovery session or one that was closing anyway.
     */
    private void lost(ConnectionContext c, Throwable cause, Duration time2Wait) {
        c.abandoned = true;
        current = null;
        c.connection.state = ConnectionState.CLEANUP_WAIT;
        taskManagement.connectionLost();
        draining = false;
        if (type == SessionType.DISCOVERY || state == SessionState.CLOSED || state == SessionState.LOGGING_OUT) {
            closeSession(cause);
            return;
        }
        List<CommandTask> held = new ArrayList<>();
        IscsiException gone = new IscsiException(IscsiError.SESSION_NOT_CONNECTED, where + ": " + cause.getMessage(), cause);
        for (Task t : tasks.all()) {
            taskEnded(c, t, TaskEnd.CONNECTION_LOST);
            tasks.remove(t);
            if (t instanceof CommandTask ct) {
                ct.retries++;
                ct.lastLoss = cause.getMessage();
                held.add(ct);
            } else if (t != recoveryLogout) {
                defer(() -> t.fail(gone));
            }
        }
        recoveryLogout = null;
        if (!held.isEmpty()) {
            requeueFirst(held);
        }
        LOG.info("{}: connection lost ({}); holding {} command(s), logging in again in {} s", where, cause.getMessage(),
                waiting.size(), time2Wait.toSeconds());
        setState(SessionState.RECOVERING);
        recovery.start(cause, time2Wait);
    }

    /** Fails every held command (replacement_timeout passed, or the session is given up). */
    void failHeld(String why) {
        for (CommandTask t : waiting) {
            IscsiException e = new IscsiException(IscsiError.SESSION_NOT_CONNECTED, why + ": " + t.describe()
                    + (t.mayHaveRun ? " failed; it may have executed" : " was not sent"));
            defer(() -> t.fail(e));
        }
        waiting.clear();
    }

    // ---------------------------------------------------------------- recovery

    /** Whether the session is recovering and has no connection (a reconnection attempt may start). */
    boolean awaitingConnection() {
        return state == SessionState.RECOVERING && current == null;
    }

    /** The record and settings the next login uses (read again for each reconnection). */
    void reread(NodeRecord rec, SessionSettings s) {
        record = rec;
        settings = s;
    }

    /** A reconnection logged in: the session takes the connection and sends its held commands again. */
    void resume(SessionOpener.Established login) {
        attach(login);
        setState(SessionState.LOGGED_IN);
        LOG.info("{}: logged in again (TSIH {}); sending {} held command(s) again", where, tsih, waiting.size());
        resendHeld();
        drain();
    }

    /**
     * The old session's tasks ended with it: commands that timed out or are not safe to repeat fail
     * now, the others go again in order.
     */
    private void resendHeld() {
        for (var it = waiting.iterator(); it.hasNext(); ) {
            CommandTask t = it.next();
            IscsiException e = null;
            if (t.timedOut) {
                e = new IscsiException(IscsiError.REQ_TIMEDOUT, where + ": " + t.describe() + " timed out after "
                        + settings.commandTimeout().toSeconds() + " s (node.session.scsi.cmd_timeout); its task ended with the connection"
                        + (t.lastLoss == null ? "" : " (" + t.lastLoss + ")"));
            } else if (t.mayHaveRun && !t.scsi.repeatable()) {
                e = new IscsiException(IscsiError.TRANS, where + ": " + t.describe() + " was in flight when the connection failed"
                        + " and is not safe to repeat; it may have executed");
            }
            if (e != null) {
                it.remove();
                IscsiException fail = e;
                defer(() -> t.fail(fail));
            }
        }
    }

    /** A transport of this name went away: its connection is lost, and the session recovers when it is back. */
    void transportGone(String name) {
        Runnable after;
        synchronized (this) {
            ConnectionContext c = current;
            if (c == null || !c.connection.transportName.equals(name)) {
                return;
            }
            dropConnection(new IscsiException(IscsiError.TRANS, "transport '" + name + "' went away"));
            after = takeDeferred();
        }
        after.run();
    }

    /** A transport or an authenticator came (back): a recovering session tries as soon as Time2Wait allows. */
    synchronized void transportAvailable() {
        if (state == SessionState.RECOVERING) {
            recovery.retryNow();
        }
    }

    // ---------------------------------------------------------------- timers

    /** Timeouts of tasks, the NOP-Out ping, and the end of draining. */
    private void tick() {
        Runnable after;
        synchronized (this) {
            ConnectionContext c = current;
            if (state == SessionState.CLOSED || c == null) {
                return;
            }
            long now = System.nanoTime();
            for (Task t : tasks.all()) {
                if (current != c) {
                    break; // dropped meanwhile
                }
                if (now - t.deadline < 0 || tasks.get(t.itt) != t) {
                    continue;
                }
                if (t instanceof CommandTask ct) {
                    if (!ct.timedOut) {
                        counters.timeout();
                        taskManagement.commandTimedOut(ct);
                    }
                } else if (t instanceof TaskManagement.Request r) {
                    counters.timeout();
                    taskManagement.expired(r);
                } else if (t == logout) {
                    counters.timeout();
                    dropConnection(new IscsiException(IscsiError.LOGOUT, "logout not answered within "
                            + settings.logoutTimeout().toSeconds() + " s (node.conn[0].timeo.logout_timeout); closing the connection"));
                } else if (t == recoveryLogout) {
                    counters.timeout();
                    dropConnection(new IscsiException(IscsiError.LOGOUT, "the logout the target asked for was not answered"
                            + " within " + settings.logoutTimeout().toSeconds() + " s"));
                } else if (t != c.ping) {
                    counters.timeout();
                    tasks.remove(t);
                    IscsiException e = t instanceof TargetPdus.TextExchange x
                            ? new IscsiException(IscsiError.PDU_TIMEOUT, where + ": " + t.describe() + " not answered within "
                                    + settings.waits().text().toSeconds() + " s (" + settings.waits().textKey() + ")"
                                    + (x.parts.isEmpty() ? "" : " after " + x.parts.size() + " answer PDU(s) of " + x.bytes + " bytes"))
                            : new IscsiException(IscsiError.REQ_TIMEDOUT, where + ": " + t.describe() + " timed out after "
                                    + settings.loginTimeout().toSeconds() + " s");
                    defer(() -> t.fail(e));
                }
            }
            if (current == c) {
                IscsiException dead = c.keepAlive(now, settings.recovery(), tasks, window.current());
                if (dead != null) {
                    counters.timeout();
                    dropConnection(dead);
                }
            }
            if (current == c && draining) {
                maybeLogoutForRecovery(now);
            }
            after = takeDeferred();
        }
        after.run();
    }

    // ---------------------------------------------------------------- closing, state and info

    /** The session ends: everything outstanding or waiting fails (or the logout completes). Under the lock. */
    void closeSession(Throwable why) {
        if (state == SessionState.CLOSED) {
            return;
        }
        setState(SessionState.CLOSED);
        recovery.stop();
        if (ticker != null) {
            ticker.cancel(false);
        }
        ConnectionContext c = current;
        current = null;
        if (c != null) {
            c.abandoned = true;
            c.connection.state = ConnectionState.FREE;
            defer(c.connection::close);
        }
        List<Task> outstanding = tasks.all();
        for (Task t : outstanding) {
            taskEnded(c, t, TaskEnd.CONNECTION_LOST);
            tasks.remove(t);
        }
        List<CommandTask> queued = new ArrayList<>(waiting);
        waiting.clear();
        engine.sessionClosed(this); // gone from the session list before anyone hears of it
        IscsiException gone = new IscsiException(IscsiError.SESSION_NOT_CONNECTED, where + ": "
                + (why == null ? "logged out" : "closed: " + why.getMessage()), why);
        Task.Control<Void> l = logout;
        defer(() -> {
            for (Task t : outstanding) {
                if (t != l) {
                    t.fail(gone);
                }
            }
            queued.forEach(t -> t.fail(gone));
            if (l != null) {
                if (why == null) {
                    l.future.complete(null);
                } else {
                    l.future.completeExceptionally(gone);
                }
            }
        });
    }

    private void setState(SessionState next) {
        SessionState previous = state;
        state = next;
        since = Instant.now();
        if (previous != next) {
            engine.stateChanged(this, previous);
        }
    }

    /** Under this session's lock (the paths that send and handle PDUs hold it). */
    SessionCounters counters() {
        return counters;
    }

    synchronized org.kiscsi.api.session.SessionStatistics statistics() {
        return counters.snapshot();
    }

    synchronized SessionState state() {
        return state;
    }

    synchronized SessionInfo info() {
        ConnectionContext c = current;
        Map<String, String> conn = lastParams == null ? Map.of() : new LinkedHashMap<>(lastParams.connectionValues());
        ConnectionInfo ci = c != null
                ? new ConnectionInfo(c.connection.cid, c.connection.state, c.connection.transportName,
                        c.connection.localAddress(), c.connection.remoteAddress(), conn)
                : new ConnectionInfo(0, state == SessionState.CLOSED ? ConnectionState.FREE
                        : recovery.stage() == org.kiscsi.api.session.RecoveryStage.REINSTATING ? ConnectionState.IN_LOGIN
                        : ConnectionState.CLEANUP_WAIT, settings.transportName(), "", record.portal().hostPort(), conn);
        Map<String, String> sess = lastParams == null ? new LinkedHashMap<>() : new LinkedHashMap<>(lastParams.sessionValues());
        sess.put("CmdSN", Integer.toUnsignedString(window.current()));
        sess.put("ExpCmdSN", Integer.toUnsignedString(window.expCmdSn()));
        sess.put("MaxCmdSN", Integer.toUnsignedString(window.maxCmdSn()));
        sess.put("ExpStatSN", c == null ? "" : Integer.toUnsignedString(c.expStatSn));
        sess.put(SessionInfo.TARGET_PORTAL_GROUP_TAG, lastDeclared.getOrDefault(SessionInfo.TARGET_PORTAL_GROUP_TAG, ""));
        return new SessionInfo(sid, key, type, isid, tsih, state, recovery.stage(), List.of(ci), sess,
                lastDeclared.getOrDefault("TargetAlias", ""), since);
    }
}
