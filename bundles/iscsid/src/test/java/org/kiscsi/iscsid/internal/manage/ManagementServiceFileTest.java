package org.kiscsi.iscsid.internal.manage;

import java.nio.file.Path;

import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.store.file.FileNodeStore;

/** The management service over the file store (open-iscsi's layout; its file lock). */
class ManagementServiceFileTest extends ManagementServiceCases {
    @Override
    NodeStore open(Path root) {
        return FileNodeStore.open(root);
    }
}
