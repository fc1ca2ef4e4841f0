package org.kiscsi.store.file.internal;

import java.nio.file.Path;

import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.spi.store.NodeStoreProvider;
import org.kiscsi.store.file.FileNodeStore;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code file} node store provider: {@code open(root)} opens open-iscsi's layout under root,
 * the directory that holds iscsid.conf ({@code /etc/iscsi}, or the distribution's etc/iscsi).
 */
@Component(service = NodeStoreProvider.class, property = NodeStoreProvider.NAME_PROPERTY + "=" + FileNodeStoreProvider.NAME)
public class FileNodeStoreProvider implements NodeStoreProvider {
    static final String NAME = "file";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeStore open(Path root) {
        return FileNodeStore.open(root);
    }
}
