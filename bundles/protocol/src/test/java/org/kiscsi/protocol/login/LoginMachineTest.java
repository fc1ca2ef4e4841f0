package org.kiscsi.protocol.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;
import org.kiscsi.protocol.pdu.LoginRequest;
import org.kiscsi.protocol.pdu.LoginResponse;
import org.kiscsi.protocol.text.KeyValue;
import org.kiscsi.protocol.text.SessionOffers;
import org.kiscsi.protocol.text.TextCodec;
import org.kiscsi.spi.auth.AuthStep;
import org.kiscsi.spi.auth.AuthenticationException;

class LoginMachineTest {
    private static final long ISID = 0x800000123456L;
    private static final String TGTD_OPERATIONAL = "HeaderDigest=None\0DataDigest=None\0DefaultTime2Wait=2\0"
            + "DefaultTime2Retain=0\0ErrorRecoveryLevel=0\0InitialR2T=Yes\0ImmediateData=Yes\0MaxBurstLength=262144\0"
            + "FirstBurstLength=65536\0MaxOutstandingR2T=1\0MaxConnections=1\0DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0";

    private static LoginParameters params(List<String> auth, String alias) {
        return new LoginParameters("iqn.2026-11.org.kiscsi:initiator", alias, "iqn.2026-11.org.kiscsi:target",
                SessionType.NORMAL, ISID, 0, 1, 0x1000, 7, auth, SessionOffers.normal(RecordValues.empty()), 0,
                "127.0.0.1:3260");
    }

    private static LoginMachine machine() {
        return new LoginMachine(params(List.of("None"), null), AuthenticatorSource.NONE);
    }

    private static int statSn = 100;

    private static LoginResponse response(boolean t, boolean c, int csg, int nsg, String text) {
        return response(t, c, csg, nsg, 0, text);
    }

    private static LoginResponse response(boolean t, boolean c, int csg, int nsg, int status, String text) {
        return new LoginResponse(t, c, csg, nsg, 0, 0, ISID, t && nsg == 3 ? 0x2a : 0, 0x1000, statSn++, 7, 38,
                status >> 8, status & 0xff, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> keys(LoginRequest r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (KeyValue kv : TextCodec.decode(r.data(), "test")) {
            m.put(kv.key(), kv.value());
        }
        return m;
    }

    private static LoginRequest sent(LoginStep s) {
        return assertInstanceOf(LoginStep.Send.class, s).request();
    }

    @Test
    void loginAgainstATgtdLikeTarget() {
        LoginMachine m = machine();
        LoginRequest first = m.start();
        assertTrue(first.transit());
        assertEquals(0, first.csg());
        assertEquals(1, first.nsg());
        assertEquals(ISID, first.isid());
        assertEquals(7, first.cmdSn());
        assertEquals(Map.of("InitiatorName", "iqn.2026-11.org.kiscsi:initiator", "TargetName", "iqn.2026-11.org.kiscsi:target",
                "SessionType", "Normal", "AuthMethod", "None"), keys(first));

        LoginRequest op = sent(m.receive(response(true, false, 0, 1, "TargetPortalGroupTag=1\0AuthMethod=None\0")));
        assertEquals(1, op.csg());
        assertEquals(3, op.nsg());
        assertTrue(op.transit());
        assertEquals(statSn, op.expStatSn());
        Map<String, String> offers = keys(op);
        assertEquals("No", offers.get("InitialR2T"));
        assertEquals("262144", offers.get("MaxRecvDataSegmentLength"));
        assertEquals("0", offers.get("DefaultTime2Retain"));

        LoginResult r = assertInstanceOf(LoginStep.Done.class, m.receive(response(true, false, 1, 3, TGTD_OPERATIONAL))).result();
        assertEquals(0x2a, r.tsih());
        assertEquals(7, r.expCmdSn());
        assertEquals("None", r.authMethod());
        assertEquals(1, r.parameters().targetPortalGroupTag());
        assertTrue(r.parameters().initialR2T());
        assertEquals(65536, r.parameters().firstBurstLength());
        assertEquals(262144, r.parameters().maxBurstLength());
        assertEquals(8192, r.parameters().maxXmitDataSegmentLength(), "tgtd never declares MaxRecvDataSegmentLength");
        assertEquals(LoginStage.FULL_FEATURE, m.stage());
    }

    @Test
    void targetThatNeedsAnotherOperationalRound() {
        LoginMachine m = machine();
        m.start();
        sent(m.receive(response(true, false, 0, 1, "AuthMethod=None\0")));
        // the target answers some keys, offers one of its own and does not transit yet
        LoginRequest answer = sent(m.receive(response(false, false, 1, 0, "InitialR2T=Yes\0TaskReporting=ResponseFence,RFC3720\0")));
        assertEquals(Map.of("TaskReporting", "RFC3720"), keys(answer));
        assertTrue(answer.transit());
        LoginResult r = assertInstanceOf(LoginStep.Done.class, m.receive(response(true, false, 1, 3, "ImmediateData=No\0"))).result();
        assertFalse(r.parameters().immediateData());
        assertEquals(1, r.parameters().maxOutstandingR2T());
    }

    @Test
    void continuedTargetTextIsJoined() {
        LoginMachine m = machine();
        m.start();
        sent(m.receive(response(true, false, 0, 1, "AuthMethod=None\0")));
        LoginRequest more = sent(m.receive(response(false, true, 1, 0, "InitialR2T=Yes\0MaxBurstLen")));
        assertTrue(more.transit(), "the empty request repeats the wish to transit");
        assertFalse(more.cont());
        assertEquals(0, more.data().remaining());
        LoginResult r = assertInstanceOf(LoginStep.Done.class,
                m.receive(response(true, false, 1, 3, "gth=65536\0"))).result();
        assertEquals(65536, r.parameters().maxBurstLength());
    }

    @Test
    void longInitiatorTextIsSentInParts() {
        String alias = "a".repeat(8100);
        LoginMachine m = new LoginMachine(params(List.of("None"), alias), AuthenticatorSource.NONE);
        LoginRequest first = m.start();
        assertTrue(first.cont());
        assertFalse(first.transit());
        assertEquals(8192, first.data().remaining());
        LoginRequest second = sent(m.receive(response(false, false, 0, 0, "")));
        assertFalse(second.cont());
        assertTrue(second.transit());
        ByteBuffer all = ByteBuffer.allocate(first.data().remaining() + second.data().remaining());
        all.put(first.data().duplicate()).put(second.data().duplicate()).flip();
        assertEquals(alias, TextCodec.decode(all, "t").stream().filter(k -> k.key().equals("InitiatorAlias")).findFirst()
                .orElseThrow().value());
    }

    @Test
    void redirection() {
        LoginMachine m = machine();
        m.start();
        LoginStep.Redirect r = assertInstanceOf(LoginStep.Redirect.class,
                m.receive(response(false, false, 0, 0, 0x0101, "TargetAddress=127.0.0.2:3262,2\0")));
        assertEquals("127.0.0.2", r.portal().address());
        assertEquals(3262, r.portal().port());
        assertEquals(2, r.portal().tpgt());
        assertFalse(r.permanent());
        LoginMachine m2 = machine();
        m2.start();
        LoginStep.Redirect p = assertInstanceOf(LoginStep.Redirect.class,
                m2.receive(response(false, false, 0, 0, 0x0102, "TargetAddress=[::1]:3263,1\0")));
        assertTrue(p.permanent());
        assertEquals("::1", p.portal().address());
        LoginMachine m3 = machine();
        m3.start();
        assertThrows(ProtocolException.class, () -> m3.receive(response(false, false, 0, 0, 0x0101, "")));
    }

    @Test
    void statusClassesMapToErrors() {
        int[][] cases = {{0x0201, IscsiError.LOGIN_AUTH_FAILED.code()}, {0x0202, IscsiError.LOGIN_AUTH_FAILED.code()},
            {0x0203, IscsiError.FATAL_LOGIN.code()}, {0x0206, IscsiError.FATAL_LOGIN.code()},
            {0x0300, IscsiError.LOGIN.code()}, {0x0302, IscsiError.LOGIN.code()}};
        for (int[] c : cases) {
            LoginMachine m = machine();
            m.start();
            LoginException e = assertThrows(LoginException.class, () -> m.receive(response(false, false, 0, 0, c[0], "")));
            assertEquals(c[1], e.error().code(), Integer.toHexString(c[0]));
            assertEquals(c[0], e.status());
            assertTrue(e.getMessage().contains("iqn.2026-11.org.kiscsi:target") && e.getMessage().contains("127.0.0.1:3260"),
                    e.getMessage());
            assertEquals((c[0] >> 8) == 3, e.retryable());
        }
        LoginMachine m = machine();
        m.start();
        assertTrue(assertThrows(LoginException.class, () -> m.receive(response(false, false, 0, 0, 0x0203, "")))
                .getMessage().contains("not found"));
    }

    @Test
    void sequenceErrors() {
        LoginMachine wrongItt = machine();
        wrongItt.start();
        LoginResponse r = response(true, false, 0, 1, "AuthMethod=None\0");
        LoginResponse other = new LoginResponse(true, false, 0, 1, 0, 0, ISID, 0, 0x999, 1, 1, 1, 0, 0, r.data());
        assertEquals(Kind.SEQUENCE, assertThrows(ProtocolException.class, () -> wrongItt.receive(other)).kind());

        LoginMachine wrongStage = machine();
        wrongStage.start();
        assertEquals(Kind.SEQUENCE, assertThrows(ProtocolException.class,
                () -> wrongStage.receive(response(true, false, 1, 3, "AuthMethod=None\0"))).kind());

        LoginMachine skipped = machine();
        skipped.start();
        sent(skipped.receive(response(false, false, 0, 0, "AuthMethod=None\0")));
        // the initiator sent T=1 again; a target moving to an NSG it was not asked for is a sequence error
        assertEquals(Kind.SEQUENCE, assertThrows(ProtocolException.class,
                () -> skipped.receive(response(true, false, 0, 3, ""))).kind());

        LoginMachine badIsid = machine();
        badIsid.start();
        LoginResponse isid = new LoginResponse(true, false, 0, 1, 0, 0, ISID + 1, 0, 0x1000, 1, 1, 1, 0, 0, r.data());
        assertEquals(Kind.SEQUENCE, assertThrows(ProtocolException.class, () -> badIsid.receive(isid)).kind());
    }

    @Test
    void authMethodNotOffered() {
        LoginMachine m = machine();
        m.start();
        IscsiException e = assertThrows(IscsiException.class, () -> m.receive(response(false, false, 0, 0, "AuthMethod=CHAP\0")));
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, e.error());
    }

    @Test
    void authenticatorDrivesTheSecurityStage() {
        List<Map<String, String>> seen = new ArrayList<>();
        // a scripted two-step authenticator: asks for X_A, then answers X_C with X_R and is done
        AuthenticatorSource src = method -> targetKeys -> {
            seen.add(targetKeys);
            if (seen.size() == 1) {
                return AuthStep.send(Map.of("X_A", "1"));
            }
            if (seen.size() == 2) {
                if (!"c".equals(targetKeys.get("X_C"))) {
                    throw new AuthenticationException("no challenge");
                }
                return AuthStep.finished(Map.of("X_R", "r"));
            }
            return AuthStep.finished(Map.of());
        };
        LoginMachine m = new LoginMachine(params(List.of("CHAP", "None"), null), src);
        LoginRequest first = m.start();
        assertFalse(first.transit(), "with authentication offered the initiator may not transit at once");
        assertEquals("CHAP,None", keys(first).get("AuthMethod"));
        LoginRequest a = sent(m.receive(response(false, false, 0, 0, "AuthMethod=CHAP\0")));
        assertEquals(Map.of("X_A", "1"), keys(a));
        assertFalse(a.transit());
        LoginRequest r = sent(m.receive(response(false, false, 0, 0, "X_C=c\0")));
        assertEquals(Map.of("X_R", "r"), keys(r));
        assertTrue(r.transit());
        LoginRequest op = sent(m.receive(response(true, false, 0, 1, "")));
        assertEquals(1, op.csg());
        assertEquals(3, seen.size(), "the transit response is shown to the authenticator (mutual verification)");

        LoginMachine failing = new LoginMachine(params(List.of("CHAP"), null), src);
        seen.clear();
        failing.start();
        sent(failing.receive(response(false, false, 0, 0, "AuthMethod=CHAP\0")));
        assertThrows(AuthenticationException.class, () -> failing.receive(response(false, false, 0, 0, "X_C=wrong\0")));
    }

    @Test
    void noAuthenticatorInstalled() {
        LoginMachine m = new LoginMachine(params(List.of("CHAP"), null), AuthenticatorSource.NONE);
        m.start();
        IscsiException e = assertThrows(IscsiException.class, () -> m.receive(response(false, false, 0, 0, "AuthMethod=CHAP\0")));
        assertTrue(e.getMessage().contains("no authenticator"), e.getMessage());
    }

    @Test
    void discoverySessionsCarryNoTargetName() {
        LoginParameters p = new LoginParameters("iqn.2026-11.org.kiscsi:i", null, null, SessionType.DISCOVERY, ISID, 0, 0, 1, 1,
                List.of("None"), SessionOffers.discovery(RecordValues.empty()), 0, "127.0.0.1:3260");
        Map<String, String> k = keys(new LoginMachine(p, AuthenticatorSource.NONE).start());
        assertFalse(k.containsKey("TargetName"));
        assertEquals("Discovery", k.get("SessionType"));
    }
}
