package org.kiscsi.iscsid.internal;

import org.kiscsi.api.IscsiError;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the run by stopping the OSGi framework, which stops every bundle in reverse start order; the
 * launcher then exits. A fatal error leaves its status and reason in system properties the launcher
 * reads (the daemon bundle cannot see the launcher's classes). Outside bin/iscsid (bin/karaf, Pax
 * Exam) a fatal error only fails the component: the container is not this daemon's to end.
 */
final class FrameworkExit implements DaemonExit {
    private static final Logger LOG = LoggerFactory.getLogger(FrameworkExit.class);
    static final String EXIT_CODE = RunFlags.PREFIX + "exit.code";
    static final String EXIT_REASON = RunFlags.PREFIX + "exit.reason";

    private final BundleContext context;
    private final boolean underLauncher;

    FrameworkExit(BundleContext context, boolean underLauncher) {
        this.context = context;
        this.underLauncher = underLauncher;
    }

    @Override
    public void fatal(IscsiError error, String reason) {
        if (!underLauncher) {
            return;
        }
        System.setProperty(EXIT_CODE, Integer.toString(error.code() == 0 ? IscsiError.GENERIC.code() : error.code()));
        System.setProperty(EXIT_REASON, reason);
        stopFramework();
    }

    @Override
    public void stop() {
        stopFramework();
    }

    /** On a thread of its own: the caller may be a bundle the framework stop is about to stop. */
    private void stopFramework() {
        Thread t = new Thread(() -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.error("cannot stop the framework: {}", e.toString());
            }
        }, "iscsid-exit");
        t.start();
    }
}
