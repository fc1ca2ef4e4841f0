package org.kiscsi.auth.chap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.auth.chap.internal.ChapAlgorithmTest.CHALLENGE;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.auth.chap.ChapAuthenticatorFactory;
import org.kiscsi.spi.auth.AuthAdvice;
import org.kiscsi.spi.auth.AuthCredentials;
import org.kiscsi.spi.auth.AuthRequest;
import org.kiscsi.spi.auth.AuthStep;
import org.kiscsi.spi.auth.AuthenticationException;
import org.kiscsi.spi.auth.Authenticator;

/** The initiator's CHAP steps against a scripted target side, and every refusal rule. */
class ChapAuthenticatorTest {
    private static final String USER = "peeruser";
    private static final String SECRET = "peersecret12";
    private static final String TARGET_USER = "targetuser";
    private static final String TARGET_SECRET = "targetsecret1";
    private static final String CHALLENGE_HEX = "0x00112233445566778899aabbccddeeff";
    /** A target's refusal of the login after our response (status 0x0201), as the engine reports it. */
    private static final IscsiException REFUSED = new IscsiException(IscsiError.LOGIN_AUTH_FAILED,
            "login to iqn.2026-11.test:t at 127.0.0.1:3260 refused: authentication failure (status 0x0201)");

    private final ChapAuthenticatorFactory factory = new ChapAuthenticatorFactory();

    static AuthRequest request(List<String> algs, boolean mutual, boolean strict) {
        return request(algs, SECRET, mutual ? TARGET_SECRET : null, strict);
    }

    static AuthRequest request(List<String> algs, String secret, String secretIn, boolean strict) {
        AuthCredentials c = new AuthCredentials(USER, secret.getBytes(StandardCharsets.UTF_8), secretIn == null ? null : TARGET_USER,
                secretIn == null ? null : secretIn.getBytes(StandardCharsets.UTF_8));
        return new AuthRequest("iqn.2026-11.test:i", "iqn.2026-11.test:t", Portal.parse("127.0.0.1:3260"), SessionType.NORMAL,
                c, algs, strict);
    }

    /** What a target computes, with the JDK's digest directly: H(id ‖ secret ‖ challenge). */
    private static byte[] targetSide(String jca, int id, String secret, byte[] challenge) throws Exception {
        MessageDigest d = MessageDigest.getInstance(jca);
        d.update((byte) id);
        d.update(secret.getBytes(StandardCharsets.UTF_8));
        d.update(challenge);
        return d.digest();
    }

    private static Map<String, String> challenge(String a) {
        return Map.of("CHAP_A", a, "CHAP_I", "42", "CHAP_C", CHALLENGE_HEX);
    }

    private static IscsiException refusal(Authenticator a, Map<String, String> keys) {
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> a.step(keys));
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, e.error());
        assertFalse(e.getMessage().contains(SECRET) || e.getMessage().contains(TARGET_SECRET), e.getMessage());
        return e;
    }

    @Test
    void oneWayMd5StepByStep() {
        Authenticator a = factory.create(request(List.of("MD5"), false, false));
        AuthStep first = a.step(Map.of());
        assertEquals(Map.of("CHAP_A", "5"), first.send());
        assertFalse(first.finished());
        AuthStep response = a.step(challenge("5"));
        assertEquals(Map.of("CHAP_N", USER, "CHAP_R", "0x" + ChapAlgorithmTest.MD5), response.send());
        assertTrue(response.finished(), "the request carrying CHAP_R asks to transit");
        AuthStep transit = a.step(Map.of());
        assertTrue(transit.finished());
        assertTrue(transit.send().isEmpty());
    }

    @Test
    void eachDigestAnswersWithItsVector() {
        String[][] cases = {{"SHA1", "6", ChapAlgorithmTest.SHA1}, {"SHA256", "7", ChapAlgorithmTest.SHA256},
                {"SHA3-256", "8", ChapAlgorithmTest.SHA3_256}, {"MD5", "5", ChapAlgorithmTest.MD5}};
        for (String[] c : cases) {
            Authenticator a = factory.create(request(List.of(c[0]), false, false));
            assertEquals(c[1], a.step(Map.of()).send().get("CHAP_A"));
            assertEquals("0x" + c[2], a.step(challenge(c[1])).send().get("CHAP_R"), c[0]);
        }
    }

    @Test
    void algorithmsAreOfferedInTheRecordsOrderAndTheTargetsChoiceIsUsed() {
        Authenticator a = factory.create(request(List.of("SHA3-256", "SHA256", "SHA1", "MD5"), false, false));
        assertEquals("8,7,6,5", a.step(Map.of()).send().get("CHAP_A"));
        assertEquals("0x" + ChapAlgorithmTest.SHA1, a.step(challenge("6")).send().get("CHAP_R"));
    }

    @Test
    void base64ChallengeGivesTheSameResponse() {
        Authenticator a = factory.create(request(List.of("MD5"), false, false));
        a.step(Map.of());
        String b64 = "0b" + Base64.getEncoder().encodeToString(CHALLENGE);
        AuthStep r = a.step(Map.of("CHAP_A", "5", "CHAP_I", "0x2a", "CHAP_C", b64));
        assertEquals("0x" + ChapAlgorithmTest.MD5, r.send().get("CHAP_R"));
    }

    @Test
    void mutualStepByStep() throws Exception {
        Authenticator a = factory.create(request(List.of("SHA256", "MD5"), true, false));
        assertEquals("7,5", a.step(Map.of()).send().get("CHAP_A"));
        AuthStep r = a.step(challenge("7"));
        assertTrue(r.finished());
        assertEquals("0x" + ChapAlgorithmTest.SHA256, r.send().get("CHAP_R"));
        int id = Integer.parseInt(r.send().get("CHAP_I"));
        byte[] ours = ChapValues.binary("CHAP_C", r.send().get("CHAP_C"));
        assertTrue(ours.length >= 32, "a challenge at least as long as the SHA-256 digest: " + ours.length);
        String proof = "0X" + HexFormat.of().withUpperCase().formatHex(targetSide("SHA-256", id, TARGET_SECRET, ours));
        AuthStep done = a.step(Map.of("CHAP_N", TARGET_USER, "CHAP_R", proof));
        assertTrue(done.finished());
        assertTrue(done.send().isEmpty());
    }

    @Test
    void mutualChallengesDifferEachLogin() {
        Authenticator a = factory.create(request(List.of("MD5"), true, false));
        Authenticator b = factory.create(request(List.of("MD5"), true, false));
        a.step(Map.of());
        b.step(Map.of());
        String ca = a.step(challenge("5")).send().get("CHAP_C");
        String cb = b.step(Map.of("CHAP_A", "5", "CHAP_I", "1", "CHAP_C", "0x0102030405060708090a0b0c0d0e0f10")).send().get("CHAP_C");
        assertFalse(ca.equals(cb));
        assertTrue(ChapValues.binary("CHAP_C", ca).length >= 16);
    }

    @Test
    void reflectedChallengeIsRefused() {
        Authenticator first = factory.create(request(List.of("MD5"), true, false));
        first.step(Map.of());
        String ours = first.step(challenge("5")).send().get("CHAP_C");
        // a second login's target sends our first login's challenge back, to have us compute its answer
        Authenticator second = factory.create(request(List.of("MD5"), true, false));
        second.step(Map.of());
        IscsiException e = refusal(second, Map.of("CHAP_A", "5", "CHAP_I", "9", "CHAP_C", ours));
        assertTrue(e.getMessage().contains("reflected challenge"), e.getMessage());
        assertEquals(Optional.empty(), second.afterFailure(e), "a reflection is not retried");
    }

    @Test
    void sameSecretBothWaysIsRefusedBeforeConnecting() {
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> factory.authMethodsOffered(request(List.of("MD5"), SECRET, SECRET, false)));
        assertTrue(e.getMessage().contains("password and password_in are the same"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET));
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, e.error());
    }

    @Test
    void targetSkippingTheMutualAnswerIsRefused() {
        Authenticator a = factory.create(request(List.of("MD5"), true, false));
        a.step(Map.of());
        a.step(challenge("5"));
        IscsiException e = refusal(a, Map.of());
        assertTrue(e.getMessage().contains("without answering the challenge sent for mutual authentication"), e.getMessage());
    }

    @Test
    void targetNamingItselfOtherThanUsernameInIsRefused() throws Exception {
        Authenticator a = factory.create(request(List.of("MD5"), true, false));
        a.step(Map.of());
        AuthStep r = a.step(challenge("5"));
        byte[] ours = ChapValues.binary("CHAP_C", r.send().get("CHAP_C"));
        String proof = ChapValues.hex(targetSide("MD5", Integer.parseInt(r.send().get("CHAP_I")), TARGET_SECRET, ours));
        IscsiException e = refusal(a, Map.of("CHAP_N", "someoneelse", "CHAP_R", proof));
        assertTrue(e.getMessage().contains("CHAP_N=someoneelse") && e.getMessage().contains("username_in"), e.getMessage());
    }

    @Test
    void wrongTargetResponseIsRefused() throws Exception {
        Authenticator a = factory.create(request(List.of("MD5"), true, false));
        a.step(Map.of());
        AuthStep r = a.step(challenge("5"));
        byte[] ours = ChapValues.binary("CHAP_C", r.send().get("CHAP_C"));
        String wrong = ChapValues.hex(targetSide("MD5", Integer.parseInt(r.send().get("CHAP_I")), "notthesecret1", ours));
        IscsiException e = refusal(a, Map.of("CHAP_N", TARGET_USER, "CHAP_R", wrong));
        assertTrue(e.getMessage().contains("CHAP_R is wrong"), e.getMessage());
        assertEquals(Optional.empty(), a.afterFailure(e), "our refusal of the target is final");
    }

    @Test
    void algorithmTheInitiatorDidNotOfferIsRefused() {
        Authenticator a = factory.create(request(List.of("SHA256"), false, false));
        a.step(Map.of());
        IscsiException e = refusal(a, challenge("5"));
        assertTrue(e.getMessage().contains("CHAP_A=5"), e.getMessage());
    }

    @Test
    void tgtNumberingSha256ThenMd5AloneOnce() {
        // tgt answers CHAP_A=7 to "7,5" meaning SHA-1; our SHA-256 response is refused with 0x0201
        AuthRequest req = request(List.of("SHA256", "MD5"), false, false);
        Authenticator a = factory.create(req);
        assertEquals("7,5", a.step(Map.of()).send().get("CHAP_A"));
        a.step(challenge("7"));
        AuthAdvice advice = a.afterFailure(REFUSED).orElseThrow();
        assertEquals(List.of("MD5"), advice.retryAlgorithms());
        assertTrue(advice.explanation().contains("CHAP_A=7") && advice.explanation().contains("SHA-1"), advice.explanation());
        // the second login offers MD5 alone, and a refusal then is explained, never retried
        Authenticator second = factory.create(req.withAlgorithms(advice.retryAlgorithms()));
        assertEquals("5", second.step(Map.of()).send().get("CHAP_A"));
        second.step(challenge("5"));
        AuthAdvice last = second.afterFailure(REFUSED).orElseThrow();
        assertFalse(last.retries());
        assertTrue(last.explanation().contains("CHAP_N=" + USER), last.explanation());
    }

    @Test
    void responseOfTheWrongLengthRefusedAsAnInitiatorErrorAlsoGetsMd5Alone() {
        Authenticator a = factory.create(request(List.of("SHA256", "MD5"), false, false));
        a.step(Map.of());
        a.step(challenge("7"));
        IscsiException tgt = new IscsiException(IscsiError.FATAL_LOGIN, "refused: initiator error (status 0x0200)");
        assertEquals(List.of("MD5"), a.afterFailure(tgt).orElseThrow().retryAlgorithms());
    }

    @Test
    void sha256AloneAgainstANumberingMismatchIsExplainedNotRetried() {
        Authenticator a = factory.create(request(List.of("SHA256"), false, false));
        a.step(Map.of());
        a.step(challenge("7"));
        AuthAdvice advice = a.afterFailure(REFUSED).orElseThrow();
        assertFalse(advice.retries());
        assertTrue(advice.explanation().contains("SHA-1") && advice.explanation().contains("MD5"), advice.explanation());
    }

    @Test
    void rejectedListGetsMd5Alone() {
        Authenticator a = factory.create(request(List.of("SHA3-256", "SHA256", "MD5"), false, false));
        a.step(Map.of());
        IscsiException e = refusal(a, Map.of("CHAP_A", "Reject"));
        assertTrue(e.getMessage().contains("CHAP_A=Reject"), e.getMessage());
        assertEquals(List.of("MD5"), a.afterFailure(e).orElseThrow().retryAlgorithms());
    }

    @Test
    void loginFailedAfterTheListGetsMd5Alone() {
        Authenticator a = factory.create(request(List.of("SHA256", "MD5"), false, false));
        a.step(Map.of());
        IscsiException failed = new IscsiException(IscsiError.FATAL_LOGIN, "refused: initiator error (status 0x0200)");
        assertEquals(List.of("MD5"), a.afterFailure(failed).orElseThrow().retryAlgorithms());
    }

    @Test
    void wrongSecretWithMd5IsOneClearFailure() {
        Authenticator a = factory.create(request(List.of("MD5"), false, false));
        a.step(Map.of());
        a.step(challenge("5"));
        AuthAdvice advice = a.afterFailure(REFUSED).orElseThrow();
        assertFalse(advice.retries());
        assertTrue(advice.explanation().contains("node.session.auth.password"), advice.explanation());
    }

    @Test
    void transportTroubleIsNotAuthenticationsToExplain() {
        Authenticator a = factory.create(request(List.of("SHA256", "MD5"), false, false));
        a.step(Map.of());
        a.step(challenge("7"));
        assertEquals(Optional.empty(), a.afterFailure(new IscsiException(IscsiError.TRANS, "connection reset")));
    }

    @Test
    void offersCapOrCapAndNone() {
        assertEquals(List.of("CHAP", "None"), factory.authMethodsOffered(request(List.of("MD5"), false, false)));
        assertEquals(List.of("CHAP"), factory.authMethodsOffered(request(List.of("MD5"), true, false)),
                "mutual CHAP may not be downgraded to None");
        assertEquals(List.of("CHAP"), factory.authMethodsOffered(request(List.of("MD5"), false, true)),
                "strict mode does not let the target skip authentication");
    }

    @Test
    void shortSecretsAreRefusedOnlyInStrictMode() {
        AuthRequest shortOne = request(List.of("MD5"), "short", null, false);
        assertEquals(List.of("CHAP", "None"), factory.authMethodsOffered(shortOne));
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> factory.authMethodsOffered(request(List.of("MD5"), "short", null, true)));
        assertTrue(e.getMessage().contains("node.session.auth.password is shorter than 12 bytes")
                && e.getMessage().contains("strict"), e.getMessage());
        AuthenticationException in = assertThrows(AuthenticationException.class,
                () -> factory.authMethodsOffered(request(List.of("MD5"), SECRET, "tiny", true)));
        assertTrue(in.getMessage().contains("password_in is shorter"), in.getMessage());
        assertFalse(in.getMessage().contains("tiny"));
    }

    @Test
    void missingNameOrSecretIsRefusedBeforeConnecting() {
        AuthCredentials noName = new AuthCredentials("", SECRET.getBytes(StandardCharsets.UTF_8), null, null);
        AuthRequest r = new AuthRequest("iqn.2026-11.test:i", "", Portal.parse("127.0.0.1:3260"), SessionType.DISCOVERY, noName,
                List.of("MD5"), false);
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> factory.authMethodsOffered(r));
        assertTrue(e.getMessage().contains("username is empty") && e.getMessage().contains("discovery portal"), e.getMessage());
        AuthCredentials noSecret = new AuthCredentials(USER, new byte[0], null, null);
        assertThrows(AuthenticationException.class, () -> factory.authMethodsOffered(new AuthRequest("iqn.2026-11.test:i", "t",
                Portal.parse("127.0.0.1:3260"), SessionType.NORMAL, noSecret, List.of("MD5"), false)));
    }

    @Test
    void unknownAlgorithmNameIsAnInvalidRecord() {
        IscsiException e = assertThrows(IscsiException.class,
                () -> factory.authMethodsOffered(request(List.of("SHA512"), false, false)));
        assertEquals(IscsiError.INVAL, e.error());
    }

    @Test
    void emptyAlgorithmListMeansMd5() {
        Authenticator a = factory.create(request(List.of(), false, false));
        assertEquals("5", a.step(Map.of()).send().get("CHAP_A"));
    }
}
