package org.kiscsi.mgmt.text;

import org.kiscsi.api.manage.LunSummary;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.scsi.Capacity;
import org.kiscsi.api.scsi.StandardInquiry;

/**
 * The "Attached SCSI devices:" block of {@code -m session -P 3} (usr/session_info.c
 * {@code print_scsi_state}, {@code print_scsi_device_info}). open-iscsi names the kernel's SCSI
 * host and each LUN's block device ({@code Attached scsi disk sdb}); kiscsi runs in user space and
 * has no /dev/sdX, so under each LUN line it says so and shows what the last scan found: type,
 * vendor, product, revision and capacity.
 */
final class LunText {
    private LunText() {
    }

    static void devices(StringBuilder b, SessionDetails s, String p, int flags) {
        b.append(p).append("************************\n").append(p).append("Attached SCSI devices:\n")
                .append(p).append("************************\n");
        if ((flags & SessionText.HOST_DEVS) != 0) {
            b.append(p).append("Host Number: ").append(s.hostNumber()).append("\tState: running\n");
        }
        if ((flags & SessionText.SCSI_DEVS) == 0) {
            return;
        }
        for (LunSummary l : s.luns()) {
            b.append(p).append("scsi").append(s.hostNumber()).append(" Channel 00 Id 0 Lun: ").append(l.lun()).append('\n');
            StandardInquiry q = l.inquiry();
            b.append(p).append("\tkiscsi LUN ").append(l.lun()).append(" (user space, no /dev/sdX): ")
                    .append(q.deviceTypeName()).append(", Vendor: ").append(Words.orEmpty(q.vendor()))
                    .append(", Product: ").append(Words.orEmpty(q.product())).append(", Revision: ")
                    .append(Words.orEmpty(q.revision())).append('\n');
            b.append(p).append("\tCapacity: ");
            if (l.capacity().isPresent()) {
                Capacity c = l.capacity().get();
                b.append(c.bytes()).append(" bytes (").append(c.blockCount()).append(" blocks of ").append(c.blockSize())
                        .append(" bytes)");
            } else {
                b.append(Words.EMPTY);
            }
            if (!l.problem().isEmpty()) {
                b.append(" (").append(l.problem()).append(')');
            }
            b.append('\n');
        }
    }
}
