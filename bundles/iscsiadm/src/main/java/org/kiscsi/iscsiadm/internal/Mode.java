package org.kiscsi.iscsiadm.internal;

import java.util.Set;

/**
 * One of iscsiadm's modes. A mode lists the options it takes (2.1.8's {@code mode_paras}); {@link Iscsiadm}
 * refuses any other before it runs.
 */
public interface Mode {
    String name();

    /** The name 2.1.8's option check says ({@code discovery} for discoverydb too, as its mode table has it). */
    default String checkedName() {
        return name();
    }

    /** Options this mode accepts besides -m itself. */
    Set<Option> options();

    /** @return the exit code */
    int run(CommandLine line, Env env) throws ClientException;
}
