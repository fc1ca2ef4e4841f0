package org.kiscsi.iscsid.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Best-effort host settings iscsid makes: a lower OOM score (so the kernel kills something else
 * first) and a check of the open-files limit bin/iscsid raised. Not permitted is not an error.
 * iscsid's {@code mlockall} has no JVM equivalent: see dev/notes/iscsid.md.
 */
final class HostLimits {
    private static final Logger LOG = LoggerFactory.getLogger(HostLimits.class);
    /** What iscsid writes to oom_score_adj. */
    static final int OOM_SCORE_ADJ = -1000;
    /** Below this, many sessions would run out of descriptors. */
    static final long LOW_OPEN_FILES = 1024;

    private HostLimits() {
    }

    static void lowerOomScore(Path procSelf) {
        Path adj = procSelf.resolve("oom_score_adj");
        try {
            Files.writeString(adj, Integer.toString(OOM_SCORE_ADJ));
            LOG.debug("OOM score adjusted to {}", OOM_SCORE_ADJ);
        } catch (IOException | SecurityException e) {
            LOG.debug("cannot lower the OOM score ({}: {}); left as it is", adj, e.getMessage());
        }
    }

    /** The soft open-files limit, or -1 when it cannot be read. */
    static long openFilesLimit(Path procSelf) {
        try {
            for (String line : Files.readAllLines(procSelf.resolve("limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot read the open-files limit: {}", e.toString());
        }
        return -1;
    }

    static void checkOpenFiles(Path procSelf) {
        long n = openFilesLimit(procSelf);
        if (n >= 0 && n < LOW_OPEN_FILES) {
            LOG.warn("the open-files limit is {}: each session needs descriptors; raise it (ulimit -n) for many sessions", n);
        } else {
            LOG.debug("open-files limit {}", n < 0 ? "unknown" : n == Long.MAX_VALUE ? "unlimited" : Long.toString(n));
        }
    }
}
