package org.kiscsi.transport.iser.verbs;

import org.osgi.annotation.versioning.ConsumerType;

/** The connection manager's events of one connection after it was established. */
@ConsumerType
public interface ConnectionEvents {
    /**
     * The connection ended (DISCONNECTED, or the queue pair went to the error state); called once,
     * on the provider's thread, and must return at once.
     *
     * @param why what ended it, for messages
     */
    void disconnected(String why);
}
