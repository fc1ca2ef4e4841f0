package org.kiscsi.auth.chap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/**
 * Responses H(id ‖ secret ‖ challenge) against vectors made by independent implementations, with
 * id 0x2a, secret "peersecret12", challenge 00112233445566778899aabbccddeeff:
 * <pre>
 * $ python3 -c 'import hashlib
 * cid=bytes([0x2a]); sec=b"peersecret12"; ch=bytes.fromhex("00112233445566778899aabbccddeeff")
 * for n in ["md5","sha1","sha256","sha3_256"]: print(n, hashlib.new(n, cid+sec+ch).hexdigest())'
 * md5 6d74519c179e635e28d275e54ba7bdcd
 * sha1 adeb156c7e6635016d08a4228afc4aa6639e9a37
 * sha256 5039e67606cf23513a34cded0beef724d77f9c801a2350e352efcc418bc0edb3
 * sha3_256 d0ff26c66b3b64b417ea519010cf045a16ed7b95a82987c10bd85deb709eedd1
 *
 * $ printf '\x2apeersecret12' > v.bin; printf '00112233445566778899aabbccddeeff' | xxd -r -p >> v.bin
 * $ for d in md5 sha1 sha256 sha3-256; do openssl dgst -$d v.bin; done
 * MD5(v.bin)= 6d74519c179e635e28d275e54ba7bdcd
 * SHA1(v.bin)= adeb156c7e6635016d08a4228afc4aa6639e9a37
 * SHA2-256(v.bin)= 5039e67606cf23513a34cded0beef724d77f9c801a2350e352efcc418bc0edb3
 * SHA3-256(v.bin)= d0ff26c66b3b64b417ea519010cf045a16ed7b95a82987c10bd85deb709eedd1
 * </pre>
 */
class ChapAlgorithmTest {
    static final int ID = 0x2a;
    static final byte[] SECRET = "peersecret12".getBytes(StandardCharsets.UTF_8);
    static final byte[] CHALLENGE = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    static final String MD5 = "6d74519c179e635e28d275e54ba7bdcd";
    static final String SHA1 = "adeb156c7e6635016d08a4228afc4aa6639e9a37";
    static final String SHA256 = "5039e67606cf23513a34cded0beef724d77f9c801a2350e352efcc418bc0edb3";
    static final String SHA3_256 = "d0ff26c66b3b64b417ea519010cf045a16ed7b95a82987c10bd85deb709eedd1";

    private static String response(ChapAlgorithm a) {
        return HexFormat.of().formatHex(a.response(ID, SECRET, CHALLENGE));
    }

    @Test
    void responsesMatchPythonAndOpenssl() {
        assertEquals(MD5, response(ChapAlgorithm.MD5));
        assertEquals(SHA1, response(ChapAlgorithm.SHA1));
        assertEquals(SHA256, response(ChapAlgorithm.SHA256));
        assertEquals(SHA3_256, response(ChapAlgorithm.SHA3_256));
    }

    @Test
    void numbersAreOpenIscsisLiosAndScsts() {
        assertEquals(5, ChapAlgorithm.MD5.number());
        assertEquals(6, ChapAlgorithm.SHA1.number());
        assertEquals(7, ChapAlgorithm.SHA256.number());
        assertEquals(8, ChapAlgorithm.SHA3_256.number());
        assertEquals(ChapAlgorithm.SHA256, ChapAlgorithm.ofNumber(7));
        assertEquals(null, ChapAlgorithm.ofNumber(9));
    }

    @Test
    void recordNamesAsOpenIscsiWritesThem() {
        assertEquals(ChapAlgorithm.SHA3_256, ChapAlgorithm.ofRecordName("SHA3-256"));
        assertEquals(ChapAlgorithm.SHA256, ChapAlgorithm.ofRecordName(" sha256 "));
        assertEquals(ChapAlgorithm.SHA1, ChapAlgorithm.ofRecordName("SHA1"));
        IscsiException e = assertThrows(IscsiException.class, () -> ChapAlgorithm.ofRecordName("SHA512"));
        assertEquals(IscsiError.INVAL, e.error());
    }
}
