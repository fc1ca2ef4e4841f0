package org.kiscsi.scsi.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;

/** Passes commands to a session's executor and keeps a copy of each CDB, to see which commands the block API chose. */
final class RecordingExecutor implements ScsiTaskExecutor {
    private final ScsiTaskExecutor session;
    private final List<byte[]> cdbs = new CopyOnWriteArrayList<>();

    RecordingExecutor(ScsiTaskExecutor session) {
        this.session = session;
    }

    @Override
    public CompletionStage<ScsiResult> execute(ScsiTask task) {
        cdbs.add(task.cdb().clone());
        return session.execute(task);
    }

    @Override
    public int queueDepth() {
        return session.queueDepth();
    }

    @Override
    public boolean retriesUnitAttentions() {
        return session.retriesUnitAttentions();
    }

    /** The CDBs sent with this operation code, in order, and forgets them. */
    List<byte[]> take(int opcode) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] c : cdbs) {
            if ((c[0] & 0xFF) == opcode) {
                out.add(c);
            }
        }
        cdbs.removeIf(c -> (c[0] & 0xFF) == opcode);
        return out;
    }

    void clear() {
        cdbs.clear();
    }
}
