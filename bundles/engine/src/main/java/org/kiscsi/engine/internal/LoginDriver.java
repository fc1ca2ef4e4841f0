package org.kiscsi.engine.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.session.ConnectionState;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;
import org.kiscsi.protocol.login.LoginMachine;
import org.kiscsi.protocol.login.LoginStage;
import org.kiscsi.protocol.login.LoginStep;
import org.kiscsi.protocol.pdu.LoginRequest;
import org.kiscsi.protocol.pdu.LoginResponse;
import org.kiscsi.protocol.pdu.PduCodec;
import org.kiscsi.protocol.pdu.TargetPdu;
import org.kiscsi.spi.transport.PduBuffer;

/**
 * Runs a {@link LoginMachine} over a connection: sends its requests, feeds it the responses, and
 * ends with the machine's final step — or a failure, at the latest when the login timeout passes.
 */
final class LoginDriver implements Connection.Handler {
    private final Connection connection;
    private LoginMachine machine;
    private final CompletableFuture<LoginStep> result = new CompletableFuture<>();
    private final String what;
    private final SessionSettings.Waits waits;
    private ScheduledFuture<?> timer;
    private ScheduledExecutorService scheduler;
    private Duration loginTimeout;
    private boolean authWaits;

    LoginDriver(Connection connection, String what, SessionSettings.Waits waits) {
        this.connection = connection;
        this.what = what;
        this.waits = waits;
    }

    /**
     * Starts the login with {@code machine} (built once the transport connection is up: the
     * transport's own keys are part of it); the stage completes with a Done or Redirect step.
     */
    CompletableFuture<LoginStep> run(LoginMachine machine, Duration timeout, ScheduledExecutorService scheduler) {
        synchronized (this) {
            this.machine = machine;
        }
        this.scheduler = scheduler;
        this.loginTimeout = timeout;
        arm(timeout, "login_timeout");
        connection.state = ConnectionState.IN_LOGIN;
        try {
            send(machine.start());
        } catch (RuntimeException e) {
            fail(e);
        }
        return result;
    }

    @Override
    public void received(PduBuffer buffer) {
        try {
            if (result.isDone() || machine == null) {
                return;
            }
            TargetPdu pdu = PduCodec.decodeTargetPdu(buffer.header(), buffer.data());
            connection.loginResponses++;
            if (!(pdu instanceof LoginResponse r)) {
                throw new ProtocolException(Kind.SEQUENCE, IscsiError.LOGIN, what + ": received " + pdu.opcode()
                        + " during login");
            }
            LoginStep step = machine.receive(r);
            if (step instanceof LoginStep.Send s) {
                rearm();
                send(s.request());
            } else {
                finish(step);
            }
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            buffer.release();
        }
    }

    @Override
    public void closed(Throwable cause) {
        fail(new IscsiException(IscsiError.TRANS, what + " failed: the connection closed"
                + (cause == null ? "" : ": " + cause.getMessage()), cause));
    }

    /**
     * Waits with a discovery record's auth_timeout for each security-stage answer once the target
     * has answered (authentication may take the target a while), then again login_timeout for the
     * operational stage, as open-iscsi's login does. Normal sessions keep one login_timeout for all.
     */
    private synchronized void rearm() {
        if (waits.auth().isEmpty()) {
            return;
        }
        if (machine.stage() == LoginStage.SECURITY) {
            authWaits = true;
            arm(waits.auth().get(), "auth_timeout");
        } else if (authWaits) {
            authWaits = false;
            arm(loginTimeout, "login_timeout");
        }
    }

    private synchronized void arm(Duration wait, String key) {
        if (timer != null) {
            timer.cancel(false);
        }
        // connected, but the target never finished the login: iscsiadm's PDU timeout (a connection
        // that cannot be made at all is the transport's TRANS_TIMEOUT)
        timer = scheduler.schedule(() -> fail(new IscsiException(IscsiError.PDU_TIMEOUT, what + ": connected, but the login"
                + " was not answered within " + wait.toSeconds() + " s (" + waits.keyPrefix() + key + ")")),
                wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void send(LoginRequest request) {
        PduBuffer b = connection.transport().allocate(0, request.data());
        request.writeHeader(b.header());
        connection.loginRequests++;
        connection.transport().send(b);
    }

    private synchronized void finish(LoginStep step) {
        timer.cancel(false);
        result.complete(step);
    }

    private void fail(Throwable cause) {
        synchronized (this) {
            if (timer != null) {
                timer.cancel(false);
            }
        }
        if (result.completeExceptionally(cause)) {
            connection.close();
        }
    }
}
