package org.kiscsi.testkit.target;

/** A CHAP challenge as sent: CHAP_I (0-255) and CHAP_C's bytes. */
record ChapChallenge(int identifier, byte[] challenge) {
}
