package org.kiscsi.launcher.internal;

/** iscsid's {@code -d 0..8} mapped onto log levels of kiscsi's loggers. */
final class LogLevels {
    private LogLevels() {
    }

    /** 0 INFO, 1–4 DEBUG, 5–8 TRACE. */
    static String forDebug(int debug) {
        if (debug <= 0) {
            return "INFO";
        }
        return debug <= 4 ? "DEBUG" : "TRACE";
    }
}
