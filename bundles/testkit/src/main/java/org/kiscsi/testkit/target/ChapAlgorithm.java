package org.kiscsi.testkit.target;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * A CHAP_A number and the digest the target computes for it. open-iscsi, LIO and SCST number them
 * 5 MD5, 6 SHA-1, 7 SHA-256, 8 SHA3-256; tgt (and IET) know only 5 MD5 and 7, which they read as SHA-1.
 */
record ChapAlgorithm(int number, String digest) {
    /** What the target supports unless told otherwise, with the usual numbering. */
    static final List<Integer> STANDARD = List.of(5, 6, 7, 8);
    /** What tgt supports. */
    static final List<Integer> TGT = List.of(5, 7);

    /** The digest {@code number} names, with tgt's numbering when {@code tgtNumbering}; empty when it names none. */
    static Optional<ChapAlgorithm> of(int number, boolean tgtNumbering) {
        String digest = switch (number) {
            case 5 -> "MD5";
            case 6 -> tgtNumbering ? null : "SHA-1";
            case 7 -> tgtNumbering ? "SHA-1" : "SHA-256";
            case 8 -> tgtNumbering ? null : "SHA3-256";
            default -> null;
        };
        return Optional.ofNullable(digest).map(d -> new ChapAlgorithm(number, d));
    }

    /** The digest's length in bytes: also the length of the target's challenges. */
    int length() {
        return messageDigest().getDigestLength();
    }

    /** RFC 1994: H(identifier byte ‖ secret ‖ challenge). */
    byte[] response(int identifier, String secret, byte[] challenge) {
        MessageDigest md = messageDigest();
        md.update((byte) identifier);
        md.update(secret.getBytes(StandardCharsets.UTF_8));
        md.update(challenge);
        return md.digest();
    }

    private MessageDigest messageDigest() {
        try {
            return MessageDigest.getInstance(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digest + " is part of every Java 17 runtime", e);
        }
    }
}
