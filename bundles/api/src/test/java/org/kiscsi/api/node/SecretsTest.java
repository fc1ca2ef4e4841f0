package org.kiscsi.api.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.spi.auth.AuthCredentials;
import org.kiscsi.spi.auth.AuthRequest;
import org.kiscsi.spi.transport.ConnectRequest;

/** Secrets stay out of every text the API's types make, and out of what transports are given. */
class SecretsTest {
    private static final String SECRET = "s3cret-out-0123";
    private static final String SECRET_IN = "s3cret-in-45678";
    private static final NodeKey KEY = new NodeKey(IscsiName.of("iqn.2026-11.org.kiscsi:t"), Portal.parse("127.0.0.1:3260,1"), null);

    private static RecordValues withSecrets() {
        return RecordValues.empty()
                .with(NodeKeys.USERNAME, "alice").with(NodeKeys.PASSWORD, SECRET)
                .with(NodeKeys.USERNAME_IN, "target").with(NodeKeys.PASSWORD_IN, SECRET_IN)
                .with("discovery.sendtargets.auth.password", SECRET).with("discovery.sendtargets.auth.password_in", SECRET_IN)
                .with("discovery.isns.auth.password", SECRET)
                .with(NodeKeys.TRANSPORT_NAME, "tcp").with(NodeKeys.IFACE_IPADDRESS, "127.0.0.1");
    }

    private static void assertNoSecret(String text) {
        assertFalse(text.contains(SECRET), text);
        assertFalse(text.contains(SECRET_IN), text);
    }

    @Test
    void secretKeysAreThoseEndingInPasswordOrPasswordIn() {
        for (String k : List.of(NodeKeys.PASSWORD, NodeKeys.PASSWORD_IN, "discovery.sendtargets.auth.password",
                "discovery.sendtargets.auth.password_in", "vendor.thing.password")) {
            assertTrue(Secrets.isSecret(k), k);
        }
        for (String k : List.of(NodeKeys.USERNAME, NodeKeys.USERNAME_IN, "node.session.auth.authmethod", "password")) {
            assertFalse(Secrets.isSecret(k), k);
        }
        assertEquals(Secrets.MASK, Secrets.mask(NodeKeys.PASSWORD, SECRET));
        assertEquals("", Secrets.mask(NodeKeys.PASSWORD, ""), "an empty secret shows as empty, as open-iscsi shows it");
        assertEquals("alice", Secrets.mask(NodeKeys.USERNAME, "alice"));
    }

    @Test
    void recordTextsMaskSecrets() {
        RecordValues v = withSecrets();
        NodeRecord node = NodeRecord.create(KEY, v);
        DiscoveryRecord discovery = new DiscoveryRecord(DiscoveryType.SENDTARGETS, Portal.parse("127.0.0.1:3260"), v);
        IfaceRecord iface = new IfaceRecord("default", v);
        for (Object o : List.of(v, node, discovery, iface)) {
            assertNoSecret(o.toString());
            assertTrue(o.toString().contains(Secrets.MASK), o.toString());
        }
        assertNoSecret(v.masked().toString());
        assertEquals(SECRET, node.values().asMap().get(NodeKeys.PASSWORD), "the record itself keeps the secret");
        assertEquals(node, NodeRecord.of(v.with(NodeKeys.NAME, KEY.target().value()).with(NodeKeys.TPGT, "1")
                .with(NodeKeys.ADDRESS, "127.0.0.1").with(NodeKeys.PORT, "3260").with(NodeKeys.IFACE_NAME, "default")));
        assertNotEquals(node, node.with(NodeKeys.PASSWORD, "another"), "equality still sees the secret");
    }

    @Test
    void typedGetterMessagesMaskSecrets() {
        RecordValues v = withSecrets();
        IscsiException i = assertThrows(IscsiException.class, () -> v.getInt(NodeKeys.PASSWORD, 0));
        assertNoSecret(i.getMessage());
        assertTrue(i.getMessage().contains(NodeKeys.PASSWORD), i.getMessage());
        IscsiException b = assertThrows(IscsiException.class, () -> v.getBoolean(NodeKeys.PASSWORD_IN, false));
        assertNoSecret(b.getMessage());
    }

    @Test
    void credentialTextsHoldNoSecretAndWipeZeroes() {
        AuthCredentials c = new AuthCredentials("alice", SECRET.getBytes(StandardCharsets.UTF_8), "target",
                SECRET_IN.getBytes(StandardCharsets.UTF_8));
        AuthRequest r = new AuthRequest("iqn.2026-11.org.kiscsi:i", KEY.target().value(), KEY.portal(), SessionType.NORMAL, c,
                List.of("SHA256", "MD5"));
        assertNoSecret(c.toString());
        assertNoSecret(r.toString());
        assertTrue(r.toString().contains("alice"), r.toString());
        c.wipe();
        assertEquals(SECRET.length(), c.secret().length);
        for (byte x : c.secret()) {
            assertEquals(0, x);
        }
        for (byte x : c.secretIn()) {
            assertEquals(0, x);
        }
    }

    @Test
    void connectRequestsCarryOnlyIfaceValues() {
        ConnectRequest r = new ConnectRequest(KEY.portal(), Optional.empty(), Duration.ofSeconds(1),
                NodeRecord.create(KEY, withSecrets().with("iface.vendor.password", SECRET)).values().asMap());
        assertNoSecret(r.toString());
        assertNoSecret(r.iface().values().toString());
        for (String k : r.iface().keySet()) {
            assertTrue(k.startsWith("iface."), k);
        }
        assertEquals("tcp", r.iface().get(NodeKeys.TRANSPORT_NAME));
        assertEquals("127.0.0.1", r.iface().get(NodeKeys.IFACE_IPADDRESS));
        assertEquals("default", r.iface().get(NodeKeys.IFACE_NAME));
    }
}
