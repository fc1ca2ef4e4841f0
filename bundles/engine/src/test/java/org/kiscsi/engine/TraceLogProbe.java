package org.kiscsi.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link SecretScenario} in a JVM of its own, started with every logger at TRACE (slf4j-simple
 * fixes levels when loggers are made, so the test's own JVM cannot be turned up afterwards). Prints
 * {@value #DONE} when every step ran; {@link SecretsNotInTraceLogsTest} searches all it wrote.
 */
public final class TraceLogProbe {
    static final String DONE = "trace probe: done";

    private TraceLogProbe() {
    }

    public static void main(String[] args) throws Exception {
        Logger log = LoggerFactory.getLogger(TraceLogProbe.class);
        log.trace("trace probe: TRACE is on");
        try (SecretScenario s = new SecretScenario()) {
            s.loginRecoverLogout();
            s.discovery();
            s.refusedLogin();
            s.threadDump();
            s.said.forEach(System.out::println);
        }
        System.out.println(DONE);
        System.exit(0);
    }
}
