package org.kiscsi.auth.chap;

import java.security.SecureRandom;
import java.util.List;

import org.kiscsi.auth.chap.internal.ChallengeRegistry;
import org.kiscsi.auth.chap.internal.ChapAuthenticator;
import org.kiscsi.auth.chap.internal.ChapSettings;
import org.kiscsi.spi.auth.AuthRequest;
import org.kiscsi.spi.auth.AuthenticationException;
import org.kiscsi.spi.auth.Authenticator;
import org.kiscsi.spi.auth.AuthenticatorFactory;

/**
 * CHAP authenticators, one-way and mutual, for normal and discovery sessions. Algorithms are offered
 * in the order of {@code node.session.auth.chap_algs} (MD5, SHA1, SHA256, SHA3-256; CHAP_A 5, 6, 7,
 * 8 as open-iscsi, LIO and SCST number them). A target that refuses the list, or refuses a response
 * made with another digest than MD5 (tgt and IET read CHAP_A=7 as SHA-1), is offered MD5 alone in
 * one more login when the list allows MD5; otherwise the error says what probably went wrong.
 *
 * <p>Offered AuthMethods: {@code CHAP,None} for one-way CHAP; {@code CHAP} alone for mutual CHAP
 * (the target must prove itself) and when {@code node.session.auth.strict = Yes}.
 *
 * <p>Plain Java: {@code IscsiEngine.builder()...authenticator(new ChapAuthenticatorFactory())}. One
 * instance serves any number of logins at once; it keeps the challenges its logins have sent, so
 * that a target reflecting one of them back is refused.
 */
public final class ChapAuthenticatorFactory implements AuthenticatorFactory {
    /** The AuthMethod value, and the {@value AuthenticatorFactory#METHOD_PROPERTY} service property. */
    public static final String METHOD = "CHAP";

    private final SecureRandom random = new SecureRandom();
    private final ChallengeRegistry challenges = new ChallengeRegistry();

    @Override
    public String authMethod() {
        return METHOD;
    }

    @Override
    public List<String> authMethodsOffered(AuthRequest request) throws AuthenticationException {
        ChapSettings s = ChapSettings.of(request, true);
        s.wipe();
        return request.credentials().mutual() || request.strict() ? List.of(METHOD) : List.of(METHOD, "None");
    }

    @Override
    public Authenticator create(AuthRequest request) {
        return new ChapAuthenticator(ChapSettings.of(request, false), random, challenges);
    }
}
