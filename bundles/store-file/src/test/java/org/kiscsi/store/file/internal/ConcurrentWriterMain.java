package org.kiscsi.store.file.internal;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.store.file.FileNodeStore;

/**
 * A second process for {@link ConcurrentProcessesTest}: writes {@code count} records of its own and
 * rewrites one shared record each time, all on the store at {@code root}.
 *
 * <p>Arguments: root writer-id count
 */
public final class ConcurrentWriterMain {
    static final String SHARED = "iqn.2026-11.org.kiscsi:shared";
    static final String OWN_KEY = "kiscsi.test.writer"; // unknown to open-iscsi: lives in the extra file

    private ConcurrentWriterMain() {
    }

    static NodeRecord own(String writer, int i) {
        return NodeRecord.create(new NodeKey(IscsiName.of("iqn.2026-11.org.kiscsi:" + writer), Portal.of("127.0.0.1", 4000 + i, 1), "default"),
                RecordValues.empty().with(NodeKeys.STARTUP, "manual"));
    }

    /** The shared record as writer {@code w} leaves it at step {@code i}: its main and extra keys agree. */
    static NodeRecord shared(String writer, int i) {
        String stamp = writer + "-" + i;
        return NodeRecord.create(new NodeKey(IscsiName.of(SHARED), Portal.of("127.0.0.1", 3260, 1), "default"),
                RecordValues.empty().with(NodeKeys.USERNAME, stamp).with(OWN_KEY, stamp));
    }

    public static void main(String[] args) {
        String writer = args[1];
        int count = Integer.parseInt(args[2]);
        try (FileNodeStore store = FileNodeStore.open(java.nio.file.Path.of(args[0]))) {
            for (int i = 0; i < count; i++) {
                store.putNode(own(writer, i));
                store.putNode(shared(writer, i));
            }
        }
        System.out.println("done " + writer);
    }
}
