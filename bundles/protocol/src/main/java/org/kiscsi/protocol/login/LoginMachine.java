package org.kiscsi.protocol.login;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;
import org.kiscsi.protocol.pdu.LoginRequest;
import org.kiscsi.protocol.pdu.LoginResponse;
import org.kiscsi.protocol.text.KeyValue;
import org.kiscsi.protocol.text.KeyDefinition;
import org.kiscsi.protocol.text.Negotiation;
import org.kiscsi.protocol.text.NegotiatedParameters;
import org.kiscsi.protocol.text.TextAccumulator;
import org.kiscsi.protocol.text.TextCodec;
import org.kiscsi.protocol.text.TextKeys;
import org.kiscsi.spi.auth.AuthStep;
import org.kiscsi.spi.auth.Authenticator;

/**
 * The initiator's login for one connection (RFC 7143 sections 6 and 8): security stage, then
 * operational stage, then full feature phase, with transit (T) and continue (C) bits, stage checks,
 * redirection and status mapping. Pure logic: the engine sends what {@link #start()} and
 * {@link #receive} return and feeds back the responses; it owns timeouts.
 */
public final class LoginMachine {
    /** RFC 7143: login PDUs carry at most 8192 data bytes until MaxRecvDataSegmentLength is negotiated. */
    static final int LOGIN_SEGMENT = 8192;

    private final LoginParameters p;
    private final AuthenticatorSource authenticators;
    private final TextAccumulator incoming = new TextAccumulator();
    private final Deque<ByteBuffer> outgoing = new ArrayDeque<>();
    private final Map<String, String> declared = new LinkedHashMap<>();

    private LoginStage stage = LoginStage.SECURITY;
    private boolean lastTransit;
    private int lastNsg;
    private int expStatSn;
    private boolean firstResponse = true;
    private String authMethod;
    private Authenticator authenticator;
    private boolean authFinished;
    private Negotiation negotiation;
    /** Transit bit and NSG for the last part of the text waiting in {@link #outgoing}. */
    private boolean pendingTransit;
    private int pendingNsg;

    public LoginMachine(LoginParameters parameters, AuthenticatorSource authenticators) {
        this.p = parameters;
        this.authenticators = authenticators;
    }

    public LoginStage stage() {
        return stage;
    }

    /** The first Login Request. */
    public LoginRequest start() {
        List<KeyValue> keys = new ArrayList<>();
        keys.add(new KeyValue(TextKeys.INITIATOR_NAME, p.initiatorName()));
        if (p.initiatorAlias() != null && !p.initiatorAlias().isEmpty()) {
            keys.add(new KeyValue(TextKeys.INITIATOR_ALIAS, p.initiatorAlias()));
        }
        if (p.sessionType() == SessionType.NORMAL) {
            keys.add(new KeyValue(TextKeys.TARGET_NAME, p.targetName()));
        }
        keys.add(new KeyValue(TextKeys.SESSION_TYPE, p.sessionType().keyValue()));
        keys.add(new KeyValue(TextKeys.AUTH_METHOD, String.join(",", p.authMethods())));
        boolean noneOnly = p.authMethods().equals(List.of("None"));
        return queue(keys, noneOnly, LoginStage.OPERATIONAL);
    }

    /** Processes a Login Response and says what to do next. */
    public LoginStep receive(LoginResponse r) {
        check(r);
        if (r.statusClass() != 0) {
            return refused(r);
        }
        if (!outgoing.isEmpty()) {
            // the target acknowledged part of our continued text: send the next part
            if (r.cont() || r.data().hasRemaining()) {
                throw sequence("sent text before receiving all of the initiator's continued text");
            }
            return new LoginStep.Send(next());
        }
        incoming.add(r.data(), where());
        if (r.cont()) {
            // the target's text continues: ask for the rest with an empty request, keeping our transit wish
            return new LoginStep.Send(request(ByteBuffer.allocate(0), lastTransit, false, lastNsg));
        }
        List<KeyValue> keys = incoming.finish(where());
        return stage == LoginStage.SECURITY ? security(r, keys) : operational(r, keys);
    }

    private void check(LoginResponse r) {
        if (r.itt() != p.itt()) {
            throw sequence(String.format("Login Response for ITT 0x%08x, expected 0x%08x", r.itt(), p.itt()));
        }
        if (r.versionActive() != 0 && r.statusClass() == 0) {
            throw new ProtocolException(Kind.BAD_FIELD, IscsiError.LOGIN, where() + ": target chose iSCSI version "
                    + r.versionActive() + ", kiscsi speaks version 0");
        }
        if (r.statusClass() == 0 && r.isid() != p.isid()) {
            throw sequence(String.format("Login Response ISID %012x differs from ours %012x", r.isid(), p.isid()));
        }
        if (r.statusClass() == 0 && r.csg() != stage.code()) {
            throw sequence("Login Response in stage " + r.csg() + " while the login is in stage " + stage.code());
        }
        if (r.transit() && r.statusClass() == 0 && !lastTransit) {
            throw sequence("target set the transit bit although the initiator did not ask to transit");
        }
        if (r.transit() && r.statusClass() == 0 && r.nsg() != lastNsg) {
            throw sequence("target transits to stage " + r.nsg() + " but the initiator asked for stage " + lastNsg);
        }
        expStatSn = r.statSn() + 1;
        firstResponse = false;
    }

    private LoginStep refused(LoginResponse r) {
        int status = r.status();
        if (LoginStatus.isRedirect(status)) {
            List<KeyValue> keys = TextCodec.decode(r.data(), where());
            String address = keys.stream().filter(k -> k.key().equals(TextKeys.TARGET_ADDRESS)).map(KeyValue::value)
                    .findFirst().orElseThrow(() -> new ProtocolException(Kind.BAD_FIELD, IscsiError.LOGIN,
                            where() + ": redirection (" + LoginStatus.text(status) + ") without a TargetAddress"));
            Portal to;
            try {
                to = Portal.parse(address);
            } catch (IscsiException e) {
                throw new ProtocolException(Kind.BAD_FIELD, IscsiError.LOGIN, where() + ": redirection to an invalid TargetAddress '"
                        + address + "'");
            }
            return new LoginStep.Redirect(to, status == LoginStatus.TARGET_MOVED_PERMANENTLY);
        }
        throw new LoginException(LoginStatus.error(status), status, "login to " + describeTarget() + " refused: "
                + LoginStatus.text(status) + String.format(" (status 0x%04x)", status));
    }

    private LoginStep security(LoginResponse r, List<KeyValue> keys) {
        List<KeyValue> authKeys = new ArrayList<>();
        for (KeyValue kv : keys) {
            switch (kv.key()) {
                case TextKeys.AUTH_METHOD -> chooseAuth(kv.value());
                case TextKeys.TARGET_PORTAL_GROUP_TAG, TextKeys.TARGET_ALIAS, TextKeys.TARGET_ADDRESS -> declared.put(kv.key(), kv.value());
                default -> authKeys.add(kv);
            }
        }
        if (authMethod == null) {
            if (r.transit() && p.authMethods().contains("None")) {
                authMethod = "None"; // target skipped the AuthMethod answer: None is the only way to transit
            } else if (!r.transit()) {
                throw new ProtocolException(Kind.NEGOTIATION, IscsiError.LOGIN, where() + ": target did not answer AuthMethod");
            } else {
                throw new IscsiException(IscsiError.LOGIN_AUTH_FAILED, where() + ": target skipped authentication although "
                        + "the initiator requires " + String.join(",", p.authMethods()));
            }
        }
        Map<String, String> toSend = new LinkedHashMap<>();
        if (authenticator != null) {
            Map<String, String> received = new LinkedHashMap<>();
            authKeys.forEach(kv -> received.put(kv.key(), kv.value()));
            AuthStep step = authenticator.step(received);
            toSend.putAll(step.send());
            authFinished = step.finished();
        } else if (!authKeys.isEmpty() && !"None".equals(authMethod)) {
            throw new ProtocolException(Kind.NEGOTIATION, IscsiError.LOGIN, where() + ": unexpected keys " + authKeys);
        }
        if (r.transit()) {
            if (!authFinished) {
                throw new IscsiException(IscsiError.LOGIN_AUTH_FAILED, where() + ": target left the security stage before "
                        + authMethod + " authentication completed");
            }
            if (!toSend.isEmpty()) {
                throw sequence("target left the security stage while the authenticator still had keys to send");
            }
            return enterOperational(LoginStage.of(r.nsg()));
        }
        List<KeyValue> kv = new ArrayList<>();
        toSend.forEach((k, v) -> kv.add(new KeyValue(k, v)));
        return new LoginStep.Send(queue(kv, authFinished, LoginStage.OPERATIONAL));
    }

    private void chooseAuth(String method) {
        if (authMethod != null) {
            throw new ProtocolException(Kind.NEGOTIATION, IscsiError.LOGIN, where() + ": target answered AuthMethod twice");
        }
        if (KeyValue.REJECT.equals(method) || !p.authMethods().contains(method)) {
            throw new IscsiException(IscsiError.LOGIN_AUTH_FAILED, where() + ": target chose AuthMethod=" + method
                    + ", the initiator offered " + String.join(",", p.authMethods()));
        }
        authMethod = method;
        if ("None".equals(method)) {
            authFinished = true;
            return;
        }
        authenticator = authenticators.create(method);
        if (authenticator == null) {
            throw new IscsiException(IscsiError.LOGIN_AUTH_FAILED, where() + ": no authenticator for AuthMethod=" + method
                    + " is installed");
        }
    }

    private LoginStep enterOperational(LoginStage next) {
        if (next == LoginStage.FULL_FEATURE) {
            throw sequence("target went from security straight to full feature phase; kiscsi asked for the operational stage");
        }
        stage = LoginStage.OPERATIONAL;
        negotiation = new Negotiation(p.offers(), p.offers(), where(), p.extensionKeys());
        return new LoginStep.Send(queue(negotiation.offers(), true, LoginStage.FULL_FEATURE));
    }

    private LoginStep operational(LoginResponse r, List<KeyValue> keys) {
        List<KeyValue> negotiated = new ArrayList<>();
        for (KeyValue kv : keys) {
            if (kv.key().equals(TextKeys.TARGET_PORTAL_GROUP_TAG) || kv.key().equals(TextKeys.TARGET_ALIAS)
                    || kv.key().equals(TextKeys.TARGET_ADDRESS)) {
                declared.put(kv.key(), kv.value());
            } else {
                negotiated.add(kv);
            }
        }
        List<KeyValue> answers = negotiation.receive(negotiated);
        if (r.transit()) {
            stage = LoginStage.FULL_FEATURE;
            Map<String, String> all = new LinkedHashMap<>(declared);
            all.putAll(negotiation.declaredByTarget());
            NegotiatedParameters params = NegotiatedParameters.from(withDeclared(negotiation), p.maxXmitCap(), where());
            return new LoginStep.Done(new LoginResult(params, r.tsih(), r.statSn(), r.expCmdSn(), r.maxCmdSn(),
                    authMethod, all, extensionOutcome()));
        }
        return new LoginStep.Send(queue(answers, true, LoginStage.FULL_FEATURE));
    }

    /** Negotiated values of the extension keys, and the target's declarations of declarative ones. */
    private Map<String, String> extensionOutcome() {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyDefinition d : p.extensionKeys()) {
            String v = d.merge() == KeyDefinition.Merge.DECLARATIVE ? negotiation.declaredByTarget().get(d.name())
                    : negotiation.results().get(d.name());
            if (v != null) {
                out.put(d.name(), v);
            }
        }
        return out;
    }

    /** Folds declarations made in the security stage (TPGT, alias) into the negotiation's view. */
    private Negotiation withDeclared(Negotiation n) {
        List<KeyValue> late = new ArrayList<>();
        declared.forEach((k, v) -> {
            if (!n.declaredByTarget().containsKey(k)) {
                late.add(new KeyValue(k, v));
            }
        });
        n.receive(late);
        return n;
    }

    /** Encodes keys, splitting at 8192 bytes, and returns the first request; the rest wait in {@link #outgoing}. */
    private LoginRequest queue(List<KeyValue> keys, boolean transit, LoginStage nsg) {
        outgoing.clear();
        outgoing.addAll(TextCodec.split(TextCodec.encode(keys), LOGIN_SEGMENT));
        pendingTransit = transit;
        pendingNsg = nsg.code();
        return next();
    }

    private LoginRequest next() {
        ByteBuffer part = outgoing.poll();
        boolean more = !outgoing.isEmpty();
        return request(part, more ? false : pendingTransit, more, more ? 0 : pendingNsg);
    }

    private LoginRequest request(ByteBuffer data, boolean transit, boolean cont, int nsg) {
        lastTransit = transit;
        lastNsg = transit ? nsg : 0;
        return new LoginRequest(transit, cont, stage.code(), transit ? nsg : 0, 0, 0, p.isid(), p.tsih(), p.itt(),
                p.cid(), p.cmdSn(), firstResponse ? 0 : expStatSn, data);
    }

    private String describeTarget() {
        return (p.targetName() == null ? "discovery" : p.targetName()) + " at " + p.peer();
    }

    private String where() {
        return "login to " + describeTarget();
    }

    private ProtocolException sequence(String what) {
        return new ProtocolException(Kind.SEQUENCE, IscsiError.LOGIN, where() + ": " + what);
    }
}
