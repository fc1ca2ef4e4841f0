package org.kiscsi.auth.chap.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/**
 * CHAP digests with the CHAP_A numbers open-iscsi, LIO and SCST use (RFC 1994 registers 5; the
 * others follow the IANA PPP registry). tgt and IET use 7 for SHA-1, which is why a failed non-MD5
 * exchange is worth one retry with MD5 alone.
 */
public enum ChapAlgorithm {
    MD5(5, "MD5", "MD5"),
    SHA1(6, "SHA1", "SHA-1"),
    SHA256(7, "SHA256", "SHA-256"),
    SHA3_256(8, "SHA3-256", "SHA3-256");

    private final int number;
    private final String recordName;
    private final String jcaName;

    ChapAlgorithm(int number, String recordName, String jcaName) {
        this.number = number;
        this.recordName = recordName;
        this.jcaName = jcaName;
    }

    /** The CHAP_A value. */
    public int number() {
        return number;
    }

    /** The name in {@code node.session.auth.chap_algs}. */
    public String recordName() {
        return recordName;
    }

    /** Bytes of a response. */
    public int length() {
        return digest().getDigestLength();
    }

    /** A fresh digest (MessageDigest instances are not shared between threads). */
    public MessageDigest digest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IscsiException(IscsiError.INTERNAL, "this JVM has no " + jcaName + " digest", e);
        }
    }

    /** RFC 1994: the response is H(identifier ‖ secret ‖ challenge). */
    public byte[] response(int identifier, byte[] secret, byte[] challenge) {
        MessageDigest d = digest();
        d.update((byte) identifier);
        d.update(secret);
        d.update(challenge);
        return d.digest();
    }

    /** The algorithm a {@code chap_algs} entry names (case-insensitive; SHA-1, SHA-256 are accepted too). */
    public static ChapAlgorithm ofRecordName(String name) {
        String n = name.trim().toUpperCase(java.util.Locale.ROOT);
        for (ChapAlgorithm a : values()) {
            if (a.recordName.equals(n) || a.jcaName.equals(n)) {
                return a;
            }
        }
        throw new IscsiException(IscsiError.INVAL, "node.session.auth.chap_algs: '" + name
                + "' is not one of MD5, SHA1, SHA256, SHA3-256");
    }

    /** The algorithm with that CHAP_A number, or null. */
    public static ChapAlgorithm ofNumber(int number) {
        for (ChapAlgorithm a : values()) {
            if (a.number == number) {
                return a;
            }
        }
        return null;
    }
}
