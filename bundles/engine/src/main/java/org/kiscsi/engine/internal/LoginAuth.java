package org.kiscsi.engine.internal;

import java.util.List;
import java.util.Optional;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.protocol.login.AuthenticatorSource;
import org.kiscsi.spi.auth.AuthAdvice;
import org.kiscsi.spi.auth.AuthRequest;
import org.kiscsi.spi.auth.Authenticator;
import org.kiscsi.spi.auth.AuthenticatorFactory;

/**
 * The authentication side of one login attempt: the AuthMethod list to offer, as the installed
 * authenticator decides it, and the authenticator the target's choice creates. The engine keeps no
 * authentication policy of its own beyond "None offers None".
 */
final class LoginAuth implements AuthenticatorSource {
    private final Engine engine;
    private final AuthenticatorFactory factory;
    private final AuthRequest request;
    private final List<String> offered;
    private volatile Authenticator created;

    private LoginAuth(Engine engine, AuthenticatorFactory factory, AuthRequest request, List<String> offered) {
        this.engine = engine;
        this.factory = factory;
        this.request = request;
        this.offered = offered;
    }

    /**
     * Prepares the attempt before any connection: fails when the record's AuthMethod has no
     * authenticator installed, or when the authenticator refuses the record's credentials.
     *
     * @param algorithms the CHAP algorithms to offer, or null for the record's
     */
    static LoginAuth prepare(Engine engine, NodeRecord record, SessionSettings settings, String initiatorName,
            String targetName, Portal portal, SessionType type, List<String> algorithms, String what) {
        String method = settings.authMethod();
        if (method.equals("None")) {
            return new LoginAuth(engine, null, null, List.of("None"));
        }
        AuthenticatorFactory f = engine.authenticator(method);
        if (f == null) {
            // 27 (operation not supported): this installation cannot do what the record asks. 24 would
            // blame the credentials, 14 a transport's capabilities; neither is what is wrong.
            throw new IscsiException(IscsiError.OP_NOT_SUPP, what + ": " + NodeKeys.AUTH_METHOD + " is " + method
                    + " but no " + method + " authenticator is installed: the kiscsi-auth-" + method.toLowerCase()
                    + " feature is missing (feature:install kiscsi-auth-" + method.toLowerCase() + ")");
        }
        boolean strict = record.values().get(NodeKeys.AUTH_STRICT, "No").trim().equalsIgnoreCase("Yes");
        AuthRequest request = new AuthRequest(initiatorName, targetName == null ? "" : targetName, portal, type,
                SessionSettings.credentials(record), algorithms != null ? algorithms : settings.chapAlgorithms(), strict);
        List<String> offered;
        try {
            offered = List.copyOf(f.authMethodsOffered(request));
        } catch (RuntimeException e) {
            request.credentials().wipe();
            throw e;
        }
        if (offered.isEmpty()) {
            request.credentials().wipe();
            throw new IscsiException(IscsiError.INTERNAL, what + ": the " + method + " authenticator offers no AuthMethod");
        }
        return new LoginAuth(engine, f, request, offered);
    }

    /** The AuthMethod values the first Login Request offers. */
    List<String> offered() {
        return offered;
    }

    @Override
    public Authenticator create(String method) {
        if (request == null) {
            return null;
        }
        AuthenticatorFactory f = method.equals(factory.authMethod()) ? factory : engine.authenticator(method);
        Authenticator a = f == null ? null : f.create(request);
        created = a;
        return a;
    }

    /** What the authenticator makes of the failure, if one was created. */
    Optional<AuthAdvice> afterFailure(Throwable failure) {
        Authenticator a = created;
        if (a == null || !(failure instanceof IscsiException i)) {
            return Optional.empty();
        }
        return a.afterFailure(i);
    }

    /** The attempt is over: the secrets copied for it are overwritten. */
    void done() {
        if (request != null) {
            request.credentials().wipe();
        }
    }
}
