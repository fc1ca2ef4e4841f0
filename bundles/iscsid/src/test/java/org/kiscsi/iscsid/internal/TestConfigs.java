package org.kiscsi.iscsid.internal;

import java.lang.annotation.Annotation;

/** The component's configuration with every default, as DS gives it when etc/ has no file. */
final class TestConfigs {
    private TestConfigs() {
    }

    static IscsidConfig defaults() {
        return new IscsidConfig() {
            @Override public Class<? extends Annotation> annotationType() { return IscsidConfig.class; }
            @Override public String socket() { return "run/iscsid.sock"; }
            @Override public String node_store() { return "memory"; }
            @Override public String config_file() { return ""; }
            @Override public String initiatorname_file() { return ""; }
            @Override public String resync_file() { return ""; }
            @Override public int startup_wait() { return 60; }
            @Override public int request_timeout() { return 10; }
            @Override public int shutdown_logout_timeout() { return 5; }
            @Override public int discovery_timeout() { return 5; }
        };
    }
}
