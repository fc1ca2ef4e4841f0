package org.kiscsi.auth.chap.internal;

import java.util.List;

import org.kiscsi.auth.chap.ChapAuthenticatorFactory;
import org.kiscsi.spi.auth.AuthRequest;
import org.kiscsi.spi.auth.Authenticator;
import org.kiscsi.spi.auth.AuthenticatorFactory;
import org.osgi.service.component.annotations.Component;

/** The CHAP authenticator as an OSGi service: what the engine binds for AuthMethod=CHAP. */
@Component(service = AuthenticatorFactory.class,
        property = AuthenticatorFactory.METHOD_PROPERTY + "=" + ChapAuthenticatorFactory.METHOD)
public class ChapAuthenticatorComponent implements AuthenticatorFactory {
    private final ChapAuthenticatorFactory chap = new ChapAuthenticatorFactory();

    @Override
    public String authMethod() {
        return chap.authMethod();
    }

    @Override
    public List<String> authMethodsOffered(AuthRequest request) {
        return chap.authMethodsOffered(request);
    }

    @Override
    public Authenticator create(AuthRequest request) {
        return chap.create(request);
    }
}
