package org.kiscsi.transport.iser.verbs;

import java.net.InetSocketAddress;

/** A listening connection-manager id. */
public interface RdmaListener extends AutoCloseable {
    InetSocketAddress address();

    @Override
    void close();
}
