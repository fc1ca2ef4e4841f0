package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.engine.SecretScenario.DISCOVERY_SECRET;
import static org.kiscsi.engine.SecretScenario.SECRET;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.spi.auth.AuthRequest;
import org.kiscsi.spi.transport.ConnectRequest;

/**
 * A record's CHAP secrets reach the authenticator, for the time of the login, and nothing else:
 * not the transport, not exceptions, session snapshots or events, not a thread dump. Log output is
 * searched by {@link SecretsNotInTraceLogsTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretsStayWithTheAuthenticatorTest {
    private SecretScenario s;

    @BeforeEach
    void start() throws Exception {
        s = new SecretScenario();
    }

    @AfterEach
    void stop() throws Exception {
        s.close();
    }

    @Test
    void theTransportGetsTheIfaceValuesOnly() throws Exception {
        s.loginRecoverLogout();
        s.discovery();
        assertTrue(s.spy.requests.size() >= 3, "login, re-login, discovery: " + s.spy.requests.size());
        for (ConnectRequest r : s.spy.requests) {
            assertEquals(ChapChoosingTransport.NAME, r.iface().get(NodeKeys.TRANSPORT_NAME), r.toString());
            for (Map.Entry<String, String> e : r.iface().entrySet()) {
                assertTrue(e.getKey().startsWith("iface."), "not an iface key: " + e.getKey());
                assertFalse(e.getKey().contains(".auth."), e.getKey());
            }
            assertEquals(Map.of(), SecretScenario.leaks("connect request", r.toString()));
        }
    }

    @Test
    void theAuthenticatorReadsTheSecretDuringTheLoginAndItIsWipedWhenTheLoginEnds() throws Exception {
        s.loginRecoverLogout();
        assertEquals(2, s.chap.requests.size(), "the login and the re-login each asked for an authenticator");
        assertEquals(List.of(SECRET, SECRET), s.chap.secretsRead,
                "the re-login read the record again: the first login's wipe did not reach it");
        for (AuthRequest r : s.chap.requests) {
            assertWiped(r);
            assertEquals("initiator-user", r.credentials().username());
            assertFalse(r.credentials().mutual());
        }
        s.discovery();
        assertEquals(DISCOVERY_SECRET, s.chap.secretsRead.get(2), "the discovery record's secret");
        assertWiped(s.chap.requests.get(2));
    }

    @Test
    void aRefusedLoginSaysWhyWithoutTheSecretAndWipesIt() throws Exception {
        Throwable failure = s.refusedLogin();
        assertTrue(failure instanceof IscsiException, SecretScenario.trace(failure));
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, ((IscsiException) failure).error());
        assertTrue(failure.getMessage().contains("CHAP_R does not match"), failure.getMessage());
        assertEquals(List.of(SECRET), s.chap.secretsRead);
        assertWiped(s.chap.requests.get(0));
    }

    @Test
    void noSecretInExceptionsSessionsEventsOrThreads() throws Exception {
        s.loginRecoverLogout();
        s.discovery();
        s.refusedLogin();
        s.threadDump();
        assertTrue(s.said.stream().anyMatch(t -> t.startsWith("stateChanged")), "events were heard");
        for (String text : s.said) {
            assertEquals(Map.of(), SecretScenario.leaks("engine text", text), text);
        }
        for (AuthRequest r : s.chap.requests) {
            assertEquals(Map.of(), SecretScenario.leaks("auth request", r.toString()), r.toString());
        }
    }

    private static void assertWiped(AuthRequest r) {
        byte[] secret = r.credentials().secret();
        assertTrue(secret.length > 0);
        for (byte b : secret) {
            assertEquals(0, b, "credentials of an ended login still hold the secret: " + r);
        }
    }
}
