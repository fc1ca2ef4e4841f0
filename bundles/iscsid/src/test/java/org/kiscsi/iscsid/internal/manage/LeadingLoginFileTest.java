package org.kiscsi.iscsid.internal.manage;

import java.nio.file.Path;

import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.store.file.FileNodeStore;

/** Leading login over the file store. */
class LeadingLoginFileTest extends LeadingLoginCases {
    @Override
    NodeStore open(Path root) {
        return FileNodeStore.open(root);
    }
}
