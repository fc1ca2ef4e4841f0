package org.kiscsi.transport.iser.soft;

import java.net.InetSocketAddress;

import org.kiscsi.transport.iser.verbs.AcceptHandler;
import org.kiscsi.transport.iser.verbs.RdmaListener;

/** A listening address on the fabric. */
record SoftListener(SoftFabric fabric, SoftDevice device, InetSocketAddress address, AcceptHandler handler) implements RdmaListener {
    @Override
    public void close() {
        fabric.listeners.remove(address, this);
    }
}
