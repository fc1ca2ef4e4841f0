package org.kiscsi.testkit.target;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.testkit.target.HandLogin.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kiscsi.protocol.pdu.LoginResponse;

/**
 * The test target's CHAP (RFC 7143 section 12.1.3), driven by hand-written Login Requests; every
 * response is computed here with {@link MessageDigest}, apart from the target's code.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ChapTargetTest extends TargetFixture {
    private static final String USER = "alice";
    private static final String SECRET = "alice-secret-12";
    private static final String TARGET_USER = "disk";
    private static final String TARGET_SECRET = "disk-secret-345";
    private static final int AUTH_FAILURE = 0x0201;

    private final List<LoopbackInitiator> opened = new ArrayList<>();
    private long nextIsid = 0x80_0000_0013_00L;

    @AfterEach
    void closeInitiators() {
        opened.forEach(LoopbackInitiator::close);
    }

    // ------------------------------------------------------------------ one-way

    @Test
    void oneWayMd5LogsIn() throws Exception {
        target.requireChap(USER, SECRET);
        HandLogin l = connect();
        LoginResponse offer = l.security(true, leading("Normal", "AuthMethod=CHAP,None"));
        assertEquals("CHAP", keys(offer).get("AuthMethod"));
        assertFalse(offer.transit(), "the security stage cannot end before the CHAP exchange");
        Map<String, String> challenge = keys(l.security(true, "CHAP_A=5"));
        assertEquals("5", challenge.get("CHAP_A"));
        assertEquals(16, unhex(challenge.get("CHAP_C")).length, "an MD5 challenge is as long as the digest");
        LoginResponse done = answer(l, challenge, "MD5", USER, SECRET);
        assertEquals(0, done.status());
        assertTrue(done.transit());
        assertEquals(1, done.nsg());
        assertFullFeature(l);
        assertEquals(List.of("5"), target.chapAlgorithmsOffered());
        assertEquals(0, target.failedChapLogins());
    }

    @Test
    void aWrongSecretFailsWithAuthenticationFailureAndClosesTheConnection() throws Exception {
        target.requireChap(USER, SECRET);
        HandLogin l = connect();
        LoginResponse r = answer(l, challenge(l, "Normal", "5"), "MD5", USER, "not-the-secret");
        assertEquals(AUTH_FAILURE, r.status());
        assertEquals(1, target.failedChapLogins());
        assertTrue(target.chapFailures().get(0).contains("wrong CHAP_R"), target.chapFailures().toString());
        opened.get(0).awaitClosed(LoopbackInitiator.WAIT_MS);
    }

    @Test
    void aWrongNameFails() throws Exception {
        target.requireChap(USER, SECRET);
        HandLogin l = connect();
        assertEquals(AUTH_FAILURE, answer(l, challenge(l, "Normal", "5"), "MD5", "bob", SECRET).status());
        assertEquals(1, target.failedChapLogins());
    }

    @Test
    void offeringOnlyNoneFails() throws Exception {
        target.requireChap(USER, SECRET);
        HandLogin l = connect();
        assertEquals(AUTH_FAILURE, l.security(true, leading("Normal", "AuthMethod=None")).status());
        assertEquals(1, target.failedChapLogins());
    }

    @Test
    void skippingTheSecurityStageFails() throws Exception {
        target.requireChap(USER, SECRET);
        HandLogin l = connect();
        List<String> keys = new ArrayList<>(List.of(leading("Normal")));
        keys.add("HeaderDigest=None");
        assertEquals(AUTH_FAILURE, l.operational(keys.toArray(String[]::new)).status());
    }

    @ParameterizedTest(name = "CHAP_A={0} is {1}")
    @CsvSource({"5, MD5, 16", "6, SHA-1, 20", "7, SHA-256, 32", "8, SHA3-256, 32"})
    void eachDigestByItsNumber(String number, String digest, int challengeLength) throws Exception {
        target.requireChap(USER, SECRET);
        HandLogin l = connect();
        Map<String, String> challenge = challenge(l, "Normal", number);
        assertEquals(number, challenge.get("CHAP_A"));
        assertEquals(challengeLength, unhex(challenge.get("CHAP_C")).length);
        assertEquals(0, answer(l, challenge, digest, USER, SECRET).status(), target.chapFailures().toString());
    }

    @Test
    void theFirstSupportedValueOfTheInitiatorsListIsChosen() throws Exception {
        target.requireChap(USER, SECRET);
        HandLogin l = connect();
        Map<String, String> challenge = challenge(l, "Normal", "8,7,5");
        assertEquals("8", challenge.get("CHAP_A"));
        assertEquals(0, answer(l, challenge, "SHA3-256", USER, SECRET).status());
        assertEquals(List.of("8,7,5"), target.chapAlgorithmsOffered());
    }

    @Test
    void aBase64ResponseIsAccepted() throws Exception {
        target.requireChap(USER, SECRET);
        HandLogin l = connect();
        Map<String, String> challenge = challenge(l, "Normal", "7");
        byte[] r = response("SHA-256", challenge, SECRET);
        LoginResponse done = l.security(true, "CHAP_N=" + USER, "CHAP_R=0b" + Base64.getEncoder().encodeToString(r));
        assertEquals(0, done.status(), target.chapFailures().toString());
        assertTrue(done.transit());
    }

    // ------------------------------------------------------------------ mutual

    @Test
    void mutualChapAnswersTheInitiatorsChallenge() throws Exception {
        target.requireChap(USER, SECRET).mutualChap(TARGET_USER, TARGET_SECRET);
        HandLogin l = connect();
        byte[] ours = random(32);
        LoginResponse done = answer(l, challenge(l, "Normal", "7"), "SHA-256", USER, SECRET, "CHAP_I=42", "CHAP_C=" + hex(ours));
        assertEquals(0, done.status(), target.chapFailures().toString());
        assertTrue(done.transit());
        assertEquals(TARGET_USER, keys(done).get("CHAP_N"));
        assertArrayEquals(chap("SHA-256", 42, TARGET_SECRET, ours), unhex(keys(done).get("CHAP_R")));
        assertArrayEquals(ours, target.initiatorChallenges().get(0));
        assertFullFeature(l);
    }

    @Test
    void aBase64InitiatorChallengeIsAnswered() throws Exception {
        target.requireChap(USER, SECRET).mutualChap(TARGET_USER, TARGET_SECRET);
        HandLogin l = connect();
        byte[] ours = random(16);
        LoginResponse done = answer(l, challenge(l, "Normal", "5"), "MD5", USER, SECRET,
                "CHAP_I=200", "CHAP_C=0b" + Base64.getEncoder().encodeToString(ours));
        assertArrayEquals(chap("MD5", 200, TARGET_SECRET, ours), unhex(keys(done).get("CHAP_R")));
    }

    @Test
    void aChallengeTheTargetHasNoAccountForFails() throws Exception {
        target.requireChap(USER, SECRET);
        HandLogin l = connect();
        LoginResponse r = answer(l, challenge(l, "Normal", "5"), "MD5", USER, SECRET, "CHAP_I=1", "CHAP_C=" + hex(random(16)));
        assertEquals(AUTH_FAILURE, r.status());
    }

    // ------------------------------------------------------------------ knobs

    @Test
    void chapAlgorithmsLimitsWhatTheTargetPicks() throws Exception {
        target.requireChap(USER, SECRET).chapAlgorithms(5);
        HandLogin l = connect();
        Map<String, String> challenge = challenge(l, "Normal", "7,5");
        assertEquals("5", challenge.get("CHAP_A"));
        assertEquals(0, answer(l, challenge, "MD5", USER, SECRET).status());
        HandLogin sha256Only = connect();
        sha256Only.security(true, leading("Normal", "AuthMethod=CHAP"));
        assertEquals(AUTH_FAILURE, sha256Only.security(true, "CHAP_A=7").status());
    }

    @Test
    void tgtNumberingReadsSevenAsSha1() throws Exception {
        target.requireChap(USER, SECRET).tgtChapNumbering(true);
        HandLogin expectingSha256 = connect();
        Map<String, String> challenge = challenge(expectingSha256, "Normal", "7,5");
        assertEquals("7", challenge.get("CHAP_A"));
        assertEquals(20, unhex(challenge.get("CHAP_C")).length, "an SHA-1 challenge");
        assertEquals(AUTH_FAILURE, answer(expectingSha256, challenge, "SHA-256", USER, SECRET).status());

        HandLogin sha1 = connect();
        assertEquals(0, answer(sha1, challenge(sha1, "Normal", "7,5"), "SHA-1", USER, SECRET).status());
        HandLogin eight = connect();
        eight.security(true, leading("Normal", "AuthMethod=CHAP"));
        assertEquals(AUTH_FAILURE, eight.security(true, "CHAP_A=8").status(), "tgt knows no 8");
    }

    @Test
    void rejectChapAListFailsAListAndTakesASingleValue() throws Exception {
        target.requireChap(USER, SECRET).rejectChapAList(true);
        HandLogin list = connect();
        list.security(true, leading("Normal", "AuthMethod=CHAP"));
        assertEquals(AUTH_FAILURE, list.security(true, "CHAP_A=7,5").status());
        assertEquals(1, target.failedChapLogins());
        opened.get(0).awaitClosed(LoopbackInitiator.WAIT_MS);

        HandLogin single = connect();
        assertEquals(0, answer(single, challenge(single, "Normal", "5"), "MD5", USER, SECRET).status());
        assertEquals(List.of("7,5", "5"), target.chapAlgorithmsOffered());
    }

    @Test
    void fixedChallengeIsSentAsIs() throws Exception {
        byte[] fixed = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        target.requireChap(USER, SECRET).fixedChallenge(fixed);
        HandLogin l = connect();
        Map<String, String> challenge = challenge(l, "Normal", "5");
        assertArrayEquals(fixed, unhex(challenge.get("CHAP_C")));
        assertEquals(0, answer(l, challenge, "MD5", USER, SECRET).status());
    }

    @Test
    void reflectChallengeSendsBackTheInitiatorsLastChallenge() throws Exception {
        target.requireChap(USER, SECRET).mutualChap(TARGET_USER, TARGET_SECRET).reflectChallenge(true);
        HandLogin first = connect();
        byte[] sent = random(16);
        Map<String, String> firstChallenge = challenge(first, "Normal", "5");
        assertEquals(0, answer(first, firstChallenge, "MD5", USER, SECRET, "CHAP_I=99", "CHAP_C=" + hex(sent)).status());
        assertFullFeature(first);

        HandLogin second = connect();
        Map<String, String> reflected = challenge(second, "Normal", "5");
        assertEquals("99", reflected.get("CHAP_I"));
        assertArrayEquals(sent, unhex(reflected.get("CHAP_C")));
    }

    @Test
    void skipMutualAnswerEndsTheStageWithoutChapNOrChapR() throws Exception {
        target.requireChap(USER, SECRET).mutualChap(TARGET_USER, TARGET_SECRET).skipMutualAnswer(true);
        HandLogin l = connect();
        LoginResponse done = answer(l, challenge(l, "Normal", "5"), "MD5", USER, SECRET, "CHAP_I=3", "CHAP_C=" + hex(random(16)));
        assertEquals(0, done.status());
        assertTrue(done.transit());
        assertEquals(1, done.nsg());
        assertNull(keys(done).get("CHAP_N"));
        assertNull(keys(done).get("CHAP_R"));
    }

    @Test
    void wrongTargetNameReplacesChapN() throws Exception {
        target.requireChap(USER, SECRET).mutualChap(TARGET_USER, TARGET_SECRET).wrongTargetName("mallory");
        HandLogin l = connect();
        byte[] ours = random(16);
        LoginResponse done = answer(l, challenge(l, "Normal", "5"), "MD5", USER, SECRET, "CHAP_I=4", "CHAP_C=" + hex(ours));
        assertEquals("mallory", keys(done).get("CHAP_N"));
        assertArrayEquals(chap("MD5", 4, TARGET_SECRET, ours), unhex(keys(done).get("CHAP_R")), "only the name is wrong");
    }

    @Test
    void wrongTargetResponseCorruptsChapR() throws Exception {
        target.requireChap(USER, SECRET).mutualChap(TARGET_USER, TARGET_SECRET).wrongTargetResponse(true);
        HandLogin l = connect();
        byte[] ours = random(32);
        LoginResponse done = answer(l, challenge(l, "Normal", "8"), "SHA3-256", USER, SECRET, "CHAP_I=5", "CHAP_C=" + hex(ours));
        byte[] right = chap("SHA3-256", 5, TARGET_SECRET, ours);
        byte[] got = unhex(keys(done).get("CHAP_R"));
        assertEquals(TARGET_USER, keys(done).get("CHAP_N"));
        assertEquals(right.length, got.length);
        assertNotEquals(HexFormat.of().formatHex(right), HexFormat.of().formatHex(got));
    }

    // ------------------------------------------------------------------ discovery

    @Test
    void discoverySessionsHaveTheirOwnAccount() throws Exception {
        target.requireDiscoveryChap("finder", "finder-secret-1").mutualDiscoveryChap("portal", "portal-secret-2");
        HandLogin none = connect();
        assertEquals(AUTH_FAILURE, none.security(true, leading("Discovery", "AuthMethod=None")).status());

        HandLogin discovery = connect();
        byte[] ours = random(20);
        LoginResponse done = answer(discovery, challenge(discovery, "Discovery", "6"), "SHA-1", "finder", "finder-secret-1",
                "CHAP_I=6", "CHAP_C=" + hex(ours));
        assertEquals(0, done.status(), target.chapFailures().toString());
        assertEquals("portal", keys(done).get("CHAP_N"));
        assertArrayEquals(chap("SHA-1", 6, "portal-secret-2", ours), unhex(keys(done).get("CHAP_R")));
        assertFullFeature(discovery);

        HandLogin normal = connect();
        LoginResponse plain = normal.security(true, leading("Normal", "AuthMethod=None"));
        assertEquals(0, plain.status(), "normal sessions need no CHAP here");
        assertEquals("None", keys(plain).get("AuthMethod"));
    }

    // ------------------------------------------------------------------ helpers

    private HandLogin connect() throws Exception {
        LoopbackInitiator i = LoopbackInitiator.connect(loopback, portal, IQN);
        opened.add(i);
        return new HandLogin(i, nextIsid++);
    }

    /** The leading login keys for this session type, then {@code more}. */
    private static String[] leading(String sessionType, String... more) {
        List<String> keys = new ArrayList<>(List.of("InitiatorName=" + LoopbackInitiator.NAME, "SessionType=" + sessionType));
        if (sessionType.equals("Normal")) {
            keys.add("TargetName=" + IQN);
        }
        keys.addAll(List.of(more));
        return keys.toArray(String[]::new);
    }

    /** AuthMethod, then CHAP_A (each with T set, as open-iscsi sends them); the target's CHAP_A, CHAP_I and CHAP_C. */
    private Map<String, String> challenge(HandLogin l, String sessionType, String algorithms) throws Exception {
        LoginResponse offer = l.security(true, leading(sessionType, "AuthMethod=CHAP,None"));
        assertEquals(0, offer.status(), target.chapFailures().toString());
        assertEquals("CHAP", keys(offer).get("AuthMethod"));
        LoginResponse challenge = l.security(true, "CHAP_A=" + algorithms);
        assertEquals(0, challenge.status(), target.chapFailures().toString());
        assertFalse(challenge.transit());
        return keys(challenge);
    }

    /** CHAP_N and CHAP_R (hex) computed with {@code digest}, plus {@code more} (CHAP_I, CHAP_C for mutual CHAP). */
    private static LoginResponse answer(HandLogin l, Map<String, String> challenge, String digest, String user, String secret,
            String... more) throws Exception {
        List<String> keys = new ArrayList<>(List.of("CHAP_N=" + user, "CHAP_R=" + hex(response(digest, challenge, secret))));
        keys.addAll(List.of(more));
        return l.security(true, keys.toArray(String[]::new));
    }

    private static void assertFullFeature(HandLogin l) throws Exception {
        LoginResponse last = l.operational("HeaderDigest=None", "DataDigest=None");
        assertEquals(0, last.status());
        assertTrue(last.transit());
        assertEquals(3, last.nsg());
    }

    private static byte[] response(String digest, Map<String, String> challenge, String secret) throws Exception {
        return chap(digest, Integer.parseInt(challenge.get("CHAP_I")), secret, unhex(challenge.get("CHAP_C")));
    }

    /** RFC 1994: H(identifier byte ‖ secret ‖ challenge). */
    private static byte[] chap(String digest, int identifier, String secret, byte[] challenge) throws Exception {
        MessageDigest md = MessageDigest.getInstance(digest);
        md.update((byte) identifier);
        md.update(secret.getBytes(StandardCharsets.UTF_8));
        md.update(challenge);
        return md.digest();
    }

    private static byte[] unhex(String value) {
        assertTrue(value != null && value.startsWith("0x"), "a 0x value expected: " + value);
        return HexFormat.of().parseHex(value.substring(2));
    }

    private static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    private static byte[] random(int length) {
        byte[] b = new byte[length];
        new java.util.Random().nextBytes(b);
        return b;
    }
}
