package org.kiscsi.testkit.target;

import java.util.Objects;

/** A CHAP name and its secret: one side's credentials. */
record ChapAccount(String user, String secret) {
    ChapAccount {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "ChapAccount[" + user + "]"; // the secret stays out of test reports
    }
}
