package org.kiscsi.store.memory.internal;

import org.kiscsi.spi.store.NodeStoreProvider;
import org.kiscsi.testkit.contract.NodeStoreContract;

class MemoryNodeStoreContractTest extends NodeStoreContract {
    @Override
    protected NodeStoreProvider createProvider() {
        return new MemoryNodeStoreProvider();
    }
}
