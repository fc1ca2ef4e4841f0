package org.kiscsi.scsi;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;

/**
 * A test double of kiscsi's own {@link ScsiTaskExecutor}: one LU kept in memory that answers the
 * commands ScsiBlockDevice sends, decoding each CDB from the SBC-3/SPC-4 field positions (written here
 * independently of the builders). It writes data-in with relative puts, moving the buffer's position as
 * a careless executor might, and can queue unit attentions and refuse commands.
 */
final class MemoryDisk implements ScsiTaskExecutor {
    final int blockSize;
    volatile long blockCount;
    final byte[] data;
    final List<byte[]> cdbs = Collections.synchronizedList(new ArrayList<>());
    final Deque<byte[]> pendingSense = new ArrayDeque<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    /** Opcodes answered with ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE. */
    final List<Integer> unsupported = Collections.synchronizedList(new ArrayList<>());
    /** Answer VPD page 0xB0 with this maximum transfer length (0: none); null: the page is not supported. */
    volatile Long maxTransferLength = 0L;
    volatile int deviceType = 0;
    volatile boolean reservationConflict;
    volatile ScsiResult.Residual forcedResidual = ScsiResult.Residual.NONE;
    /**
     * Says it retries unit attentions itself, as kiscsi's sessions do; the disk still answers queued ones
     * (as a session passes one on once its own retries are spent), so a layer that stacks retries shows.
     */
    volatile boolean ownsUnitAttentions;
    long prKey;
    int prType;
    int prGeneration;
    final List<Long> prKeys = new ArrayList<>();
    private final Executor completer;

    MemoryDisk(int blockSize, int blockCount, Executor completer) {
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.data = new byte[blockSize * blockCount];
        this.completer = completer;
    }

    MemoryDisk(int blockSize, int blockCount) {
        this(blockSize, blockCount, Runnable::run);
    }

    /** Fixed-format sense (SPC-4) of key/asc/ascq. */
    static byte[] sense(int key, int asc, int ascq) {
        byte[] s = new byte[18];
        s[0] = 0x70;
        s[2] = (byte) key;
        s[7] = 10;
        s[12] = (byte) asc;
        s[13] = (byte) ascq;
        return s;
    }

    synchronized void queueUnitAttention(int asc, int ascq) {
        pendingSense.add(sense(6, asc, ascq));
    }

    int count(int opcode) {
        synchronized (cdbs) {
            return (int) cdbs.stream().filter(c -> (c[0] & 0xFF) == opcode).count();
        }
    }

    @Override
    public boolean retriesUnitAttentions() {
        return ownsUnitAttentions;
    }

    @Override
    public int queueDepth() {
        return 32;
    }

    @Override
    public CompletionStage<ScsiResult> execute(ScsiTask task) {
        cdbs.add(task.cdb().clone());
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        CompletableFuture<ScsiResult> f = new CompletableFuture<>();
        completer.execute(() -> {
            ScsiResult r;
            try {
                r = answer(task);
            } catch (RuntimeException e) {
                inFlight.decrementAndGet();
                f.completeExceptionally(e);
                return;
            }
            inFlight.decrementAndGet();
            f.complete(r);
        });
        return f;
    }

    private synchronized ScsiResult answer(ScsiTask t) {
        byte[] c = t.cdb();
        int op = c[0] & 0xFF;
        if (!pendingSense.isEmpty() && op != 0x12 && op != 0xA0) { // SPC-4: INQUIRY and REPORT LUNS report none
            return check(pendingSense.poll());
        }
        if (unsupported.contains(op)) {
            return check(sense(5, 0x20, 0));
        }
        if (reservationConflict && (op == 0x28 || op == 0x2A || op == 0x88 || op == 0x8A)) {
            return new ScsiResult(ScsiResult.RESERVATION_CONFLICT, null, 0, 0, ScsiResult.Residual.NONE);
        }
        return switch (op) {
            case 0x00, 0x35, 0x91 -> good(0);
            case 0x28 -> readWrite(t, u32(c, 2), u16(c, 7), false);
            case 0x2A -> readWrite(t, u32(c, 2), u16(c, 7), true);
            case 0x88 -> readWrite(t, u64(c, 2), u32(c, 10), false);
            case 0x8A -> readWrite(t, u64(c, 2), u32(c, 10), true);
            case 0x25 -> in(t, ByteBuffer.allocate(8).putInt((int) Math.min(blockCount - 1, 0xFFFFFFFFL)).putInt(blockSize).array());
            case 0x9E -> in(t, ByteBuffer.allocate(32).putLong(blockCount - 1).putInt(blockSize).array());
            case 0x12 -> inquiry(t, c);
            case 0xA0 -> in(t, new byte[] {0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0});
            case 0x42 -> unmap(t);
            case 0x93 -> writeSame(t, c);
            case 0x89 -> compareAndWrite(t, c);
            case 0x5A -> in(t, new byte[] {0, 6, 0, 0x10, 0, 0, 0, 0});
            case 0x1A -> in(t, new byte[] {3, 0, 0x10, 0});
            case 0x5E -> persistentReserveIn(t, c);
            case 0x5F -> persistentReserveOut(t, c);
            default -> check(sense(5, 0x20, 0));
        };
    }

    private ScsiResult readWrite(ScsiTask t, long lba, long blocks, boolean write) {
        if (lba + blocks > blockCount) {
            return check(sense(5, 0x21, 0));
        }
        int off = (int) (lba * blockSize);
        int len = (int) (blocks * blockSize);
        ByteBuffer b = write ? t.dataOut().duplicate() : t.dataIn();
        if (b.remaining() != len) {
            throw new IllegalStateException("buffer of " + b.remaining() + " bytes for " + len);
        }
        if (write) {
            b.get(data, off, len);
        } else {
            b.put(data, off, len); // relative: moves the caller's (slice's) position
        }
        if (forcedResidual != ScsiResult.Residual.NONE) {
            return new ScsiResult(0, null, write ? 0 : len - blockSize, blockSize, forcedResidual);
        }
        return good(write ? 0 : len);
    }

    private ScsiResult inquiry(ScsiTask t, byte[] c) {
        if ((c[1] & 1) == 0) {
            byte[] d = new byte[36];
            d[0] = (byte) deviceType;
            d[2] = 6;
            d[3] = 2;
            d[4] = 31;
            System.arraycopy("KISCSI  MEMORY-DISK     0001".getBytes(), 0, d, 8, 28);
            return in(t, d);
        }
        int page = c[2] & 0xFF;
        return switch (page) {
            case 0x00 -> in(t, maxTransferLength == null ? new byte[] {0, 0, 0, 2, 0, (byte) 0x80}
                    : new byte[] {0, 0, 0, 3, 0, (byte) 0x80, (byte) 0xB0});
            case 0x80 -> in(t, new byte[] {0, (byte) 0x80, 0, 4, ' ', 'S', 'N', '1'});
            case 0xB0 -> {
                if (maxTransferLength == null) {
                    yield check(sense(5, 0x24, 0));
                }
                byte[] p = new byte[64];
                p[1] = (byte) 0xB0;
                p[3] = 0x3C;
                ByteBuffer.wrap(p).putInt(8, maxTransferLength.intValue()).putInt(20, 4).putInt(24, 2).putLong(36, 16);
                yield in(t, p);
            }
            default -> check(sense(5, 0x24, 0));
        };
    }

    private ScsiResult unmap(ScsiTask t) {
        ByteBuffer p = t.dataOut().duplicate();
        int descriptors = (p.getShort(p.position() + 2) & 0xFFFF) / 16;
        for (int i = 0; i < descriptors; i++) {
            long lba = p.getLong(p.position() + 8 + 16 * i);
            long n = p.getInt(p.position() + 16 + 16 * i) & 0xFFFFFFFFL;
            Arrays.fill(data, (int) (lba * blockSize), (int) ((lba + n) * blockSize), (byte) 0);
        }
        return good(0);
    }

    private ScsiResult writeSame(ScsiTask t, byte[] c) {
        long lba = u64(c, 2);
        long n = u32(c, 10);
        byte[] block = new byte[blockSize];
        t.dataOut().duplicate().get(block);
        for (long i = 0; i < n; i++) {
            System.arraycopy((c[1] & 0x08) != 0 ? new byte[blockSize] : block, 0, data, (int) ((lba + i) * blockSize), blockSize);
        }
        return good(0);
    }

    private ScsiResult compareAndWrite(ScsiTask t, byte[] c) {
        int off = (int) (u64(c, 2) * blockSize);
        int len = (c[13] & 0xFF) * blockSize;
        byte[] both = new byte[2 * len];
        t.dataOut().duplicate().get(both);
        for (int i = 0; i < len; i++) {
            if (both[i] != data[off + i]) {
                byte[] s = sense(0xE, 0x1D, 0);
                s[0] = (byte) 0xF0; // VALID: INFORMATION is the offset of the miscompare
                ByteBuffer.wrap(s).putInt(3, i);
                return check(s);
            }
        }
        System.arraycopy(both, len, data, off, len);
        return good(0);
    }

    private ScsiResult persistentReserveIn(ScsiTask t, byte[] c) {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * Math.max(prKeys.size(), 2));
        b.putInt(prGeneration);
        if ((c[1] & 0x1F) == 0) {
            b.putInt(8 * prKeys.size());
            prKeys.forEach(b::putLong);
        } else if (prType == 0) {
            b.putInt(0);
        } else {
            b.putInt(16).putLong(prKey).putInt(0).put((byte) 0).put((byte) prType).putShort((short) 0);
        }
        return in(t, Arrays.copyOf(b.array(), b.position()));
    }

    private ScsiResult persistentReserveOut(ScsiTask t, byte[] c) {
        ByteBuffer p = t.dataOut().duplicate();
        long key = p.getLong(p.position());
        long saKey = p.getLong(p.position() + 8);
        switch (c[1] & 0x1F) {
            case 0, 6 -> {
                prKeys.remove(key);
                if (saKey != 0) {
                    prKeys.add(saKey);
                }
            }
            case 1 -> {
                prKey = key;
                prType = c[2] & 0x0F;
            }
            case 2 -> prType = 0;
            default -> {
                return check(sense(5, 0x24, 0));
            }
        }
        prGeneration++;
        return good(0);
    }

    /** Data-in of {@code d}, cut to the allocation length (the buffer), with the underflow residual. */
    private static ScsiResult in(ScsiTask t, byte[] d) {
        int n = Math.min(d.length, t.dataIn().remaining());
        t.dataIn().put(d, 0, n);
        int residual = t.expectedInLength() + n - d.length; // what the buffer had left before the put, minus the data
        return new ScsiResult(0, null, n, Math.abs(residual), residual > 0 ? ScsiResult.Residual.UNDERFLOW
                : d.length > n ? ScsiResult.Residual.OVERFLOW : ScsiResult.Residual.NONE);
    }

    private static ScsiResult good(int bytesIn) {
        return new ScsiResult(0, null, bytesIn, 0, ScsiResult.Residual.NONE);
    }

    private static ScsiResult check(byte[] sense) {
        return new ScsiResult(ScsiResult.CHECK_CONDITION, sense, 0, 0, ScsiResult.Residual.NONE);
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    private static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    private static long u64(byte[] b, int i) {
        return (u32(b, i) << 32) | u32(b, i + 4);
    }
}
