package org.kiscsi.tools.lun;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

import org.kiscsi.api.scsi.BlockDevice;

/**
 * One end of a copy: a LU (asynchronous, many commands in flight) or a file or stream (read and written
 * by the copying thread, in order).
 */
public sealed interface CopyEnd permits CopyEnd.Lun, CopyEnd.File, CopyEnd.Stream {
    /** Bytes available from {@code offset} on, or -1 when unknown (a pipe). */
    long size();

    /** A name for messages. */
    String name();

    /** A LU; {@code fua}: writes with FUA (Force Unit Access) instead of a SYNCHRONIZE CACHE at the end. */
    record Lun(BlockDevice device, String name, boolean fua) implements CopyEnd {
        @Override
        public long size() {
            return device.blockCount() * device.blockSize();
        }
    }

    /** A regular file, read or written at positions. */
    record File(FileChannel channel, String name) implements CopyEnd {
        @Override
        public long size() {
            try {
                return channel.size();
            } catch (IOException e) {
                return -1;
            }
        }
    }

    /** A stream (standard input or output, a pipe): sequential only. */
    record Stream(ReadableByteChannel in, WritableByteChannel out, String name) implements CopyEnd {
        public static Stream of(InputStream in, String name) {
            return new Stream(Channels.newChannel(in), null, name);
        }

        public static Stream of(OutputStream out, String name) {
            return new Stream(null, Channels.newChannel(out), name);
        }

        @Override
        public long size() {
            return -1;
        }
    }

    /** Reads until {@code b} is full or the end; the number of bytes read. */
    static int fill(ReadableByteChannel in, ByteBuffer b) throws IOException {
        int n = 0;
        while (b.hasRemaining()) {
            int r = in.read(b);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }
}
