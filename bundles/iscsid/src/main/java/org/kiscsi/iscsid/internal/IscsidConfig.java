package org.kiscsi.iscsid.internal;

/**
 * The daemon's settings in Config Admin (PID {@code org.kiscsi.iscsid}, etc/org.kiscsi.iscsid.cfg).
 * DS maps {@code node_store} to the property {@code node.store}, and so on. Relative paths are
 * relative to the installation (karaf.base). Never a secret here: {@code config:list} prints these.
 */
public @interface IscsidConfig {
    /** The management socket; its directory is made 0700. */
    String socket() default "run/iscsid.sock";

    /** The node store provider to use (its kiscsi.store name). */
    String node_store() default "memory";

    /** iscsid.conf, unless -c is given; empty: etc/iscsi/iscsid.conf. The node database lives beside it. */
    String config_file() default "";

    /** The initiatorname file, unless -i is given; empty: etc/iscsi/initiatorname.iscsi. */
    String initiatorname_file() default "";

    /** The re-sync list; empty: data/iscsid/sessions.resync. */
    String resync_file() default "";

    /** Seconds bin/iscsid waits for a background daemon to answer (read by the script, not here). */
    int startup_wait() default 60;

    /** Seconds a management request (a login, say) may take before the client gets REQ_TIMEDOUT. */
    int request_timeout() default 120;

    /** Seconds the logouts at shutdown may take altogether. */
    int shutdown_logout_timeout() default 30;

    /** Seconds one discovery poll may take. */
    int discovery_timeout() default 30;
}
