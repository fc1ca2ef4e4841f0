package org.kiscsi.tools.url;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.tools.url.IscsiUrlParser.Form;

class IscsiUrlParserTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:disk1";
    private static final Map<String, String> NO_ENV = Map.of();

    private static IscsiUrl lun(String url) {
        return IscsiUrlParser.parse(url, Form.LUN, NO_ENV);
    }

    private static String refused(String url, Form form, Map<String, String> env) {
        return assertThrows(UrlException.class, () -> IscsiUrlParser.parse(url, form, env)).getMessage();
    }

    @Test
    void hostTargetAndLun() {
        IscsiUrl u = lun("iscsi://192.0.2.10/" + IQN + "/3");
        assertEquals("192.0.2.10", u.host());
        assertEquals(3260, u.port());
        assertEquals(IQN, u.target());
        assertEquals(3, u.lun());
        assertNull(u.chap());
        assertFalse(u.secretInUrl());
        assertEquals("iscsi://192.0.2.10:3260/" + IQN + "/3", u.display());
    }

    @Test
    void portAndHostName() {
        IscsiUrl u = lun("iscsi://storage.example:3261/" + IQN + "/0");
        assertEquals("storage.example", u.host());
        assertEquals(3261, u.port());
        assertEquals(0, u.lun());
    }

    @Test
    void ipv6InBrackets() {
        IscsiUrl u = lun("iscsi://[::1]:3262/" + IQN + "/1");
        assertEquals("::1", u.host());
        assertEquals(3262, u.port());
        assertEquals("[::1]", u.uriHost());
        assertEquals("[::1]:3262", u.portal().hostPort());
        assertEquals("fe80::1", IscsiUrlParser.parse("iscsi://[fe80::1]", Form.PORTAL, NO_ENV).host());
        assertTrue(refused("iscsi://::1/" + IQN + "/1", Form.LUN, NO_ENV).contains("brackets"));
        assertTrue(refused("iscsi://[::1/" + IQN + "/1", Form.LUN, NO_ENV).contains("closing ']'"));
        assertTrue(refused("iscsi://[::1]x/" + IQN + "/1", Form.LUN, NO_ENV).contains("after the IPv6 address"));
        assertTrue(refused("iscsi://[host]/" + IQN + "/1", Form.LUN, NO_ENV).contains("not an IPv6 address"));
    }

    @Test
    void userAndPasswordWithPercentOrColonAndAWarning() {
        IscsiUrl u = lun("iscsi://alice%s3cret-pass@h/" + IQN + "/1");
        assertEquals("alice", u.chap().user());
        assertEquals("s3cret-pass", u.chap().secret());
        assertTrue(u.secretInUrl());
        assertFalse(u.toString().contains("s3cret"), u.toString());
        IscsiUrl c = lun("iscsi://bob:pw-with-@-and-/@h/" + IQN + "/1");
        assertEquals("bob", c.chap().user());
        assertEquals("pw-with-@-and-/", c.chap().secret(), "the last '@' ends the user part");
        assertEquals("h", c.host());
    }

    @Test
    void percentEncodedTargetName() {
        assertEquals(IQN, lun("iscsi://h/iqn.2026-11.org.kiscsi.test%3Adisk1/1").target());
        assertEquals(IQN, lun("iscsi://h/iqn.2026-11.org.kiscsi.test%3adisk1/1").target());
        assertTrue(refused("iscsi://h/iqn.2026-11.x%3/1", Form.LUN, NO_ENV).contains("two hex digits"));
        assertTrue(refused("iscsi://h/iqn.2026-11.x%zz/1", Form.LUN, NO_ENV).contains("two hex digits"));
    }

    @Test
    void everyQueryArgument() {
        IscsiUrl u = IscsiUrlParser.parse("iscsi://u%initiator-secret1@h/" + IQN + "/1?header_digest=crc32c&data_digest=none"
                + "&auth=sha-256&target_user=tgt&target_password=target-secret1&force_usn=beaf11", Form.LUN, NO_ENV);
        assertEquals("CRC32C", u.headerDigest());
        assertEquals("None", u.dataDigest());
        assertEquals("SHA256", u.chapAlgorithm());
        assertEquals("tgt", u.targetChap().user());
        assertEquals("target-secret1", u.targetChap().secret());
        assertEquals("beaf11", u.expectedSerial());
        assertEquals("MD5", lun("iscsi://h/" + IQN + "/1?auth=md5").chapAlgorithm());
        assertEquals("SHA1", lun("iscsi://h/" + IQN + "/1?auth=sha1").chapAlgorithm());
        assertEquals("SHA3-256", lun("iscsi://h/" + IQN + "/1?auth=sha3-256").chapAlgorithm());
        assertEquals("None", lun("iscsi://h/" + IQN + "/1?header_digest=none").headerDigest());
        assertEquals("CRC32C", lun("iscsi://h/" + IQN + "/1?data_digest=crc32c").dataDigest());
        assertTrue(IscsiUrlParser.parse("iscsi://u@h/" + IQN + "/1?target_user=t&target_password=tp",
                Form.LUN, Map.of(IscsiUrlParser.ENV_PASSWORD, "p")).secretInUrl(), "target_password in the URL warns too");
    }

    @Test
    void badQueryArguments() {
        String base = "iscsi://h/" + IQN + "/1?";
        assertTrue(refused(base + "header_digest=crc32", Form.LUN, NO_ENV).contains("none or crc32c"));
        assertTrue(refused(base + "data_digest=", Form.LUN, NO_ENV).contains("none or crc32c"));
        assertTrue(refused(base + "auth=sha512", Form.LUN, NO_ENV).contains("md5, sha1, sha-256 or sha3-256"));
        assertTrue(refused(base + "color=blue", Form.LUN, NO_ENV).contains("unknown argument 'color'"));
        assertTrue(refused(base + "header_digest", Form.LUN, NO_ENV).contains("has no value"));
        assertTrue(refused(base + "iser", Form.LUN, NO_ENV).contains("iSER"));
        assertTrue(refused(base + "LIBISCSI_RDMA_ACK_TIMEOUT=5", Form.LUN, NO_ENV).contains("iSER"));
        assertTrue(refused(base + "force_usn=", Form.LUN, NO_ENV).contains("force_usn"));
        assertTrue(refused("iser://h/" + IQN + "/1", Form.LUN, NO_ENV).contains("iSER"));
    }

    @Test
    void environmentVariablesAndWhoWins() {
        Map<String, String> env = Map.of(IscsiUrlParser.ENV_USER, "envuser", IscsiUrlParser.ENV_PASSWORD, "envsecret-123",
                IscsiUrlParser.ENV_TARGET_USER, "envtarget", IscsiUrlParser.ENV_TARGET_PASSWORD, "envtarget-456");
        IscsiUrl e = IscsiUrlParser.parse("iscsi://h/" + IQN + "/1", Form.LUN, env);
        assertEquals("envuser", e.chap().user());
        assertEquals("envsecret-123", e.chap().secret());
        assertEquals("envtarget", e.targetChap().user());
        assertEquals("envtarget-456", e.targetChap().secret());
        assertFalse(e.secretInUrl());
        // the URL's user wins; with no password in the URL, libiscsi keeps the environment's
        IscsiUrl u = IscsiUrlParser.parse("iscsi://urluser@h/" + IQN + "/1?target_user=qt&target_password=qtp", Form.LUN, env);
        assertEquals("urluser", u.chap().user());
        assertEquals("envsecret-123", u.chap().secret());
        assertEquals("qt", u.targetChap().user());
        assertEquals("qtp", u.targetChap().secret());
    }

    @Test
    void chapThatLibiscsiWouldSilentlyDropIsRefused() {
        assertTrue(refused("iscsi://lonely@h/" + IQN + "/1", Form.LUN, NO_ENV).contains("has no password"));
        assertTrue(refused("iscsi://h/" + IQN + "/1", Form.LUN, Map.of(IscsiUrlParser.ENV_PASSWORD, "x"))
                .contains("without a user"));
        assertTrue(refused("iscsi://h/" + IQN + "/1?target_user=t&target_password=tp", Form.LUN, NO_ENV)
                .contains("needs the initiator's"));
        assertTrue(refused("iscsi://u%p@h/" + IQN + "/1?target_user=t", Form.LUN, NO_ENV).contains("target CHAP user 't' has no password"));
    }

    @Test
    void passwordFileAndPrompt(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("secret");
        Files.writeString(f, "file-secret-1234\nignored\n");
        Path t = dir.resolve("target-secret");
        Files.writeString(t, "file-target-5678");
        IscsiUrl u = IscsiUrlParser.parse("iscsi://fu@h/" + IQN + "/1?target_user=ft", Form.LUN, NO_ENV,
                new SecretOptions(f, t, false, null));
        assertEquals("file-secret-1234", u.chap().secret());
        assertEquals("file-target-5678", u.targetChap().secret());
        // the file wins over the environment
        assertEquals("file-secret-1234", IscsiUrlParser.parse("iscsi://fu@h/" + IQN + "/1", Form.LUN,
                Map.of(IscsiUrlParser.ENV_PASSWORD, "env"), new SecretOptions(f, null, false, null)).chap().secret());
        IscsiUrl p = IscsiUrlParser.parse("iscsi://pu@h/" + IQN + "/1", Form.LUN, NO_ENV,
                new SecretOptions(null, null, true, q -> q.contains("pu") ? "typed-secret-9".toCharArray() : null));
        assertEquals("typed-secret-9", p.chap().secret());
        assertThrows(UrlException.class, () -> IscsiUrlParser.parse("iscsi://u%inline@h/" + IQN + "/1", Form.LUN, NO_ENV,
                new SecretOptions(f, null, false, null)));
        String missing = assertThrows(UrlException.class, () -> IscsiUrlParser.parse("iscsi://u@h/" + IQN + "/1", Form.LUN, NO_ENV,
                new SecretOptions(dir.resolve("none"), null, false, null))).getMessage();
        assertTrue(missing.contains("cannot read"), missing);
        Files.writeString(f, "\n");
        assertTrue(assertThrows(UrlException.class, () -> IscsiUrlParser.parse("iscsi://u@h/" + IQN + "/1", Form.LUN, NO_ENV,
                new SecretOptions(f, null, false, null))).getMessage().contains("empty"));
        assertTrue(assertThrows(UrlException.class, () -> IscsiUrlParser.parse("iscsi://u@h/" + IQN + "/1", Form.LUN, NO_ENV,
                new SecretOptions(null, null, true, q -> null))).getMessage().contains("no terminal"));
    }

    @Test
    void badUrls() {
        assertTrue(refused("http://h/" + IQN + "/1", Form.LUN, NO_ENV).contains("does not start with iscsi://"));
        assertTrue(refused("iscsi:///" + IQN + "/1", Form.LUN, NO_ENV).contains("names no host"));
        assertTrue(refused("iscsi://h:0/" + IQN + "/1", Form.LUN, NO_ENV).contains("out of range"));
        assertTrue(refused("iscsi://h:65536/" + IQN + "/1", Form.LUN, NO_ENV).contains("out of range"));
        assertTrue(refused("iscsi://h:32a/" + IQN + "/1", Form.LUN, NO_ENV).contains("not a port"));
        assertTrue(refused("iscsi://h", Form.LUN, NO_ENV).contains("names no target"));
        assertTrue(refused("iscsi://h/" + IQN, Form.LUN, NO_ENV).contains("names no LUN"));
        assertTrue(refused("iscsi://h/" + IQN + "/", Form.LUN, NO_ENV).contains("not a LUN number"));
        assertTrue(refused("iscsi://h/" + IQN + "/1x", Form.LUN, NO_ENV).contains("not a LUN number"));
        assertTrue(refused("iscsi://h/" + IQN + "/-1", Form.LUN, NO_ENV).contains("not a LUN number"));
        assertTrue(refused("iscsi://h/" + IQN + "/1099511627776", Form.LUN, NO_ENV).contains("out of range"));
        assertTrue(refused("iscsi://h//1", Form.LUN, NO_ENV).contains("target name is empty"));
        assertTrue(refused("iscsi://h/not an iqn/1", Form.LUN, NO_ENV).contains("not an iSCSI name"));
        assertTrue(refused("iscsi://h/" + IQN, Form.PORTAL, NO_ENV).contains("names no target"));
        String m = refused("iscsi://u%hidden-secret@h/x/1", Form.LUN, NO_ENV);
        assertFalse(m.contains("hidden-secret"), m);
        assertTrue(m.contains(IscsiUrl.SYNTAX), m);
    }

    @Test
    void portalAndTargetForms() {
        IscsiUrl p = IscsiUrlParser.parse("iscsi://h:3270", Form.PORTAL, NO_ENV);
        assertNull(p.target());
        assertEquals(-1, p.lun());
        assertEquals(IQN, IscsiUrlParser.parse("iscsi://h/" + IQN, Form.ANY, NO_ENV).target());
        assertEquals(-1, IscsiUrlParser.parse("iscsi://h/" + IQN + "/", Form.ANY, NO_ENV).lun());
        assertEquals(2, IscsiUrlParser.parse("iscsi://h/" + IQN + "/2", Form.ANY, NO_ENV).lun());
    }

    @Test
    void redaction() {
        assertEquals("iscsi://***@h/x/1?target_user=t&target_password=***",
                IscsiUrlParser.redact("iscsi://u%pw@h/x/1?target_user=t&target_password=tpw"));
        assertEquals("iscsi://h/x/1", IscsiUrlParser.redact("iscsi://h/x/1"));
    }
}
