package org.kiscsi.export.nbd;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.CheckConditionException;
import org.kiscsi.api.scsi.SenseKey;

/** Maps a block-device failure to the NBD error a client gets. */
final class Errors {
    private Errors() {
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static int errno(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof CheckConditionException cc) {
            SenseKey key = cc.sense().key();
            if (key == SenseKey.DATA_PROTECT) {
                return cc.sense().is(0x27, 0x07) ? Nbd.ENOSPC : Nbd.EPERM; // SPACE ALLOCATION FAILED WRITE PROTECT
            }
            if (key == SenseKey.ILLEGAL_REQUEST) {
                int asc = cc.sense().asc();
                return asc == 0x20 ? Nbd.ENOTSUP : asc == 0x21 ? Nbd.EINVAL : Nbd.EIO; // invalid opcode, LBA out of range
            }
            return Nbd.EIO;
        }
        if (t instanceof IscsiException ie) {
            if (ie.error() == IscsiError.OP_NOT_SUPP) {
                return Nbd.ENOTSUP;
            }
            if (ie.error() == IscsiError.INVAL) {
                return Nbd.EINVAL;
            }
            if (ie.error() == IscsiError.NOMEM) {
                return Nbd.ENOMEM;
            }
        }
        if (t instanceof OutOfMemoryError) {
            return Nbd.ENOMEM;
        }
        return Nbd.EIO;
    }

    static String message(Throwable failure) {
        Throwable t = unwrap(failure);
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
