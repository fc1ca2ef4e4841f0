package org.kiscsi.iscsid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which changed settings a running daemon takes up live (node.store) and which wait for the next start. */
class DaemonSettingsTest {
    private static final Path BASE = Path.of("/opt/kiscsi");
    private static final RunFlags NO_FLAGS = new RunFlags(false, Optional.empty(), Optional.empty(), false, 0, Optional.empty());

    private static DaemonSettings resolve(IscsidConfig c) {
        return DaemonSettings.resolve(c, NO_FLAGS, BASE, BASE.resolve("etc"), BASE.resolve("data"), "1");
    }

    private static IscsidConfig with(String store, String socket, int requestTimeout) {
        IscsidConfig d = TestConfigs.defaults();
        return new IscsidConfig() {
            @Override public Class<? extends Annotation> annotationType() { return IscsidConfig.class; }
            @Override public String socket() { return socket; }
            @Override public String node_store() { return store; }
            @Override public String config_file() { return d.config_file(); }
            @Override public String initiatorname_file() { return d.initiatorname_file(); }
            @Override public String resync_file() { return d.resync_file(); }
            @Override public int startup_wait() { return d.startup_wait(); }
            @Override public int request_timeout() { return requestTimeout; }
            @Override public int shutdown_logout_timeout() { return d.shutdown_logout_timeout(); }
            @Override public int discovery_timeout() { return d.discovery_timeout(); }
        };
    }

    @Test
    void aNewNodeStoreAloneNeedsNoRestart() {
        DaemonSettings now = resolve(with("file", "run/iscsid.sock", 120));
        DaemonSettings next = resolve(with(" memory ", "run/iscsid.sock", 120));
        assertEquals(List.of(), now.restartOnlyChanges(next));
        assertEquals("memory", next.storeName());
    }

    @Test
    void theSocketAndTimeoutsWaitForTheNextStart() {
        DaemonSettings now = resolve(with("file", "run/iscsid.sock", 120));
        assertEquals(List.of("socket", "request.timeout"), now.restartOnlyChanges(resolve(with("file", "run/other.sock", 30))));
        assertEquals(List.of(), now.restartOnlyChanges(resolve(with("file", "./run/iscsid.sock", 120))),
                "the same path written differently is no change");
    }
}
