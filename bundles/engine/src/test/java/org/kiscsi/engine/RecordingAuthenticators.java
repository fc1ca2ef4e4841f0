package org.kiscsi.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.kiscsi.spi.auth.AuthStep;
import org.kiscsi.spi.auth.AuthRequest;
import org.kiscsi.spi.auth.AuthenticationException;
import org.kiscsi.spi.auth.Authenticator;
import org.kiscsi.spi.auth.AuthenticatorFactory;

/**
 * A CHAP authenticator factory that records what it was given: each request, and the secret its
 * authenticator could read at its first step. Its authenticators finish at once (the test target
 * does no CHAP), or refuse with a message naming no secret.
 */
final class RecordingAuthenticators implements AuthenticatorFactory {
    final List<AuthRequest> requests = new CopyOnWriteArrayList<>();
    final List<String> secretsRead = new CopyOnWriteArrayList<>();
    private volatile boolean refuse;

    RecordingAuthenticators refuse(boolean refuse) {
        this.refuse = refuse;
        return this;
    }

    @Override
    public String authMethod() {
        return "CHAP";
    }

    @Override
    public Authenticator create(AuthRequest request) {
        requests.add(request);
        boolean[] read = new boolean[1];
        return targetKeys -> {
            if (!read[0]) { // once per login, however many steps it takes
                read[0] = true;
                byte[] secret = request.credentials().secret();
                secretsRead.add(new String(secret, StandardCharsets.UTF_8));
                Arrays.fill(secret, (byte) 0);
            }
            if (refuse) {
                throw new AuthenticationException("test authenticator: CHAP_R does not match");
            }
            return AuthStep.finished(Map.of());
        };
    }
}
