package org.kiscsi.store.file.internal;

import org.kiscsi.spi.store.NodeStoreProvider;
import org.kiscsi.testkit.contract.NodeStoreContract;

/** The file store does everything every node store must do. */
class FileNodeStoreContractTest extends NodeStoreContract {
    @Override
    protected NodeStoreProvider createProvider() {
        return new FileNodeStoreProvider();
    }
}
