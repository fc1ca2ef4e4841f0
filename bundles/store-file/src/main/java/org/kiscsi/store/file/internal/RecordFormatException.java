package org.kiscsi.store.file.internal;

/** A record file that cannot be read; the message names the file and line. */
public final class RecordFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public RecordFormatException(String file, int line, String what) {
        super(file + ":" + line + ": " + what);
    }
}
