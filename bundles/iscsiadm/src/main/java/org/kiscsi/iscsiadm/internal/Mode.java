package org.kiscsi.iscsiadm.internal;

import java.util.Set;

/**
 * One of iscsiadm's modes ({@code -m daemon}; node, session, discovery and iface come with their
 * issues). A mode lists the options it takes; {@link Iscsiadm} refuses any other before it runs.
 */
public interface Mode {
    String name();

    /** Options this mode accepts besides -m itself. */
    Set<Option> options();

    /** @return the exit code */
    int run(CommandLine line, DaemonClient daemon, java.io.PrintStream out) throws ClientException;
}
