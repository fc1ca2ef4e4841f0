package org.kiscsi.api.export;

import java.util.Objects;

/**
 * A snapshot of an export.
 *
 * @param spec what it serves
 * @param state where it is
 * @param sid the session it serves from, or -1 while there is none
 * @param size its size in bytes, 0 until its LUN was first opened
 * @param blockSize the LU's logical block size, 0 until then
 * @param clients NBD clients connected to it
 * @param configured whether it is kept in the configuration (written there by hand, or added as persistent),
 *        so it is there again after a restart; false for an export of this run only
 * @param detail why it is WAITING or FAILED, or empty
 */
public record ExportInfo(ExportSpec spec, ExportState state, long sid, long size, int blockSize, long clients,
        boolean configured, String detail) {
    public ExportInfo {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(state, "state");
        detail = detail == null ? "" : detail;
    }
}
