package org.kiscsi.export.nbd;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.LbaStatus;
import org.kiscsi.api.scsi.UnmapRange;

/**
 * Turns transmission-phase requests into block-device calls and their results into replies. Requests
 * outside the export or its block-size constraints, with unknown flags, or of unknown types are
 * answered EINVAL without touching the LU. Never blocks: every call returns the device's stage.
 */
final class CommandHandler {
    /** Descriptors asked of one GET LBA STATUS. */
    static final int LBA_STATUS_DESCRIPTORS = 128;
    /** Bytes one CACHE read holds at a time. */
    static final int CACHE_CHUNK = 1 << 20;

    private final NbdExport export;
    private final BlockDevice device;
    private final boolean structured;
    private final boolean baseAllocation;
    /** READ reply buffers (the server's pool; called on the selector thread, where requests are handled). */
    private final java.util.function.IntFunction<ByteBuffer> buffers;

    CommandHandler(NbdExport export, boolean structured, boolean baseAllocation, java.util.function.IntFunction<ByteBuffer> buffers) {
        this.buffers = buffers;
        this.export = export;
        this.device = export.device();
        this.structured = structured;
        this.baseAllocation = baseAllocation;
    }

    /** The reply buffers of {@code r} (DISC is the connection's). */
    CompletionStage<List<ByteBuffer>> handle(Request r) {
        String invalid = check(r);
        if (invalid != null) {
            return CompletableFuture.completedFuture(error(r, Nbd.EINVAL, r.describe() + ": " + invalid));
        }
        if (export.readOnly() && (r.type() == Nbd.CMD_WRITE || r.type() == Nbd.CMD_TRIM || r.type() == Nbd.CMD_WRITE_ZEROES)) {
            return CompletableFuture.completedFuture(error(r, Nbd.EPERM, r.describe() + ": export '" + export.name()
                    + "' is read-only"));
        }
        CompletionStage<List<ByteBuffer>> reply;
        try {
            reply = switch (r.type()) {
                case Nbd.CMD_READ -> read(r);
                case Nbd.CMD_WRITE -> ok(r, device.write(lba(r), r.payload(), r.has(Nbd.CMD_FLAG_FUA)));
                case Nbd.CMD_FLUSH -> ok(r, device.flush());
                case Nbd.CMD_TRIM -> ok(r, fua(r, device.unmap(List.of(new UnmapRange(lba(r), blocks(r))))));
                case Nbd.CMD_WRITE_ZEROES -> writeZeroes(r);
                case Nbd.CMD_CACHE -> ok(r, cache(lba(r), blocks(r)));
                case Nbd.CMD_BLOCK_STATUS -> blockStatus(r);
                default -> throw new IllegalStateException("unreachable: " + r.type());
            };
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.exceptionally(e -> error(r, Errors.errno(e), r.describe() + " on export '" + export.name() + "': "
                + Errors.message(e)));
    }

    /** Why {@code r} cannot be sent to the LU, or null. */
    private String check(Request r) {
        if ((r.flags() & ~Nbd.CMD_FLAGS_KNOWN) != 0) {
            return "unknown command flags 0x" + Integer.toHexString(r.flags());
        }
        if (r.type() < Nbd.CMD_READ || r.type() > Nbd.CMD_BLOCK_STATUS || r.type() == Nbd.CMD_DISC) {
            return "unknown command";
        }
        if (r.type() == Nbd.CMD_FLUSH) {
            return null;
        }
        long size = export.size();
        if (r.offset() < 0 || r.length() > size || r.offset() > size - r.length()) {
            return "outside the export of " + size + " bytes";
        }
        if ((r.type() == Nbd.CMD_READ || r.type() == Nbd.CMD_WRITE) && r.length() > export.maxPayload()) {
            return "longer than the maximum payload of " + export.maxPayload() + " bytes";
        }
        if (r.type() == Nbd.CMD_BLOCK_STATUS) {
            if (!baseAllocation) {
                return "no meta context was negotiated";
            }
            return r.length() == 0 ? "length 0" : null;
        }
        if (r.offset() % export.minBlock() != 0 || r.length() % export.minBlock() != 0) {
            return "not aligned to the block size of " + export.minBlock() + " bytes";
        }
        if (r.type() == Nbd.CMD_TRIM && !export.canTrim()) {
            return "TRIM is not offered: the LU does not take UNMAP";
        }
        return null;
    }

    private long lba(Request r) {
        return r.offset() / export.minBlock();
    }

    private long blocks(Request r) {
        return r.length() / export.minBlock();
    }

    /**
     * READ: the LU's data lands in a pooled buffer behind room for the reply's header, which is written in
     * front of it on completion, so the whole reply is one buffer and one write.
     */
    private CompletionStage<List<ByteBuffer>> read(Request r) {
        if (r.length() == 0) {
            return CompletableFuture.completedFuture(List.of(structured ? Replies.done(r.cookie()) : Replies.simple(r.cookie(), 0)));
        }
        int length = (int) r.length();
        ByteBuffer reply = buffers.apply(Replies.READ_HEADER_ROOM + length);
        ByteBuffer data = reply.slice(Replies.READ_HEADER_ROOM, length);
        return device.read(lba(r), data).thenApply(v -> List.of(structured
                ? Replies.offsetDataHeaderBefore(reply, r.cookie(), r.offset(), length)
                : Replies.simpleHeaderBefore(reply, r.cookie(), length)));
    }

    private CompletionStage<List<ByteBuffer>> writeZeroes(Request r) {
        boolean unmap = export.unmapZeroes() && !r.has(Nbd.CMD_FLAG_NO_HOLE);
        if (r.has(Nbd.CMD_FLAG_FAST_ZERO) && !unmap) {
            return CompletableFuture.completedFuture(error(r, Nbd.ENOTSUP, r.describe() + ": zeroing is not fast on export '"
                    + export.name() + "'" + (export.unmapZeroes() ? " without punching holes (NO_HOLE)"
                            : ": the LU cannot unmap blocks that read back as zeros")));
        }
        if (r.length() == 0) {
            return ok(r, CompletableFuture.completedFuture(null));
        }
        ByteBuffer zero = ByteBuffer.allocate(export.minBlock());
        return ok(r, fua(r, device.writeSame(lba(r), blocks(r), zero, unmap)));
    }

    /** FUA on a command that has none of its own: SYNCHRONIZE CACHE of its range after it. */
    private CompletionStage<Void> fua(Request r, CompletionStage<Void> done) {
        return r.has(Nbd.CMD_FLAG_FUA) ? done.thenCompose(v -> device.synchronizeCache(lba(r), blocks(r))) : done;
    }

    /** CACHE: reads the range into one reused buffer, a chunk at a time, so the target has it cached. */
    private CompletionStage<Void> cache(long lba, long blocks) {
        if (blocks == 0) {
            return CompletableFuture.completedFuture(null);
        }
        int chunkBlocks = Math.max(1, Math.min(CACHE_CHUNK, export.maxPayload()) / export.minBlock());
        int n = (int) Math.min(chunkBlocks, blocks);
        ByteBuffer scratch = ByteBuffer.allocate(n * export.minBlock());
        return device.read(lba, scratch).thenCompose(v -> cache(lba + n, blocks - n));
    }

    private CompletionStage<List<ByteBuffer>> blockStatus(Request r) {
        int bs = export.minBlock();
        long start = r.offset() / bs;
        long end = r.offset() + r.length();
        return device.getLbaStatus(start, LBA_STATUS_DESCRIPTORS).thenApply(descriptors -> {
            List<long[]> extents = new ArrayList<>();
            long at = r.offset();
            for (LbaStatus d : descriptors) {
                long from = Math.max(at, d.lba() * bs);
                long to = Math.min(end, d.end() * bs);
                if (from != at || to <= from) {
                    break; // a gap or nothing new: report what is known up to here
                }
                int flags = d.unmapped() ? Nbd.STATE_HOLE | (export.holesReadZero() ? Nbd.STATE_ZERO : 0) : 0;
                long[] last = extents.isEmpty() ? null : extents.get(extents.size() - 1);
                if (last != null && last[1] == flags) {
                    last[0] += to - from;
                } else {
                    extents.add(new long[] { to - from, flags });
                }
                at = to;
                if (at == end) {
                    break;
                }
            }
            if (extents.isEmpty()) {
                throw new IllegalStateException("GET LBA STATUS at LBA " + start + " described no block from there");
            }
            return List.of(Replies.blockStatus(r.cookie(), r.has(Nbd.CMD_FLAG_REQ_ONE) ? extents.subList(0, 1) : extents));
        });
    }

    private CompletionStage<List<ByteBuffer>> ok(Request r, CompletionStage<Void> done) {
        return done.thenApply(v -> List.of(structured ? Replies.done(r.cookie()) : Replies.simple(r.cookie(), 0)));
    }

    /** Whether the reply says the request succeeded (a simple reply with error 0, or a structured chunk that is not an error). */
    static boolean succeeded(List<ByteBuffer> reply) {
        ByteBuffer h = reply.get(0);
        int magic = h.getInt(h.position());
        if (magic == Nbd.SIMPLE_REPLY_MAGIC) {
            return h.getInt(h.position() + 4) == 0;
        }
        return (h.getShort(h.position() + 6) & 0x8000) == 0;
    }

    private List<ByteBuffer> error(Request r, int errno, String message) {
        return List.of(structured ? Replies.error(r.cookie(), errno, message) : Replies.simple(r.cookie(), errno));
    }
}
