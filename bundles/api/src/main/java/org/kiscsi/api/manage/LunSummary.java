package org.kiscsi.api.manage;

import java.util.Optional;

import org.kiscsi.api.scsi.Capacity;
import org.kiscsi.api.scsi.StandardInquiry;

/**
 * A logical unit of a session as the last rescan found it: where open-iscsi's {@code -P 3} names
 * the kernel's SCSI devices, kiscsi (user space, no /dev/sdX) names the LUN itself.
 *
 * @param lun the LUN number
 * @param inquiry its standard INQUIRY data (type, vendor, product)
 * @param capacity READ CAPACITY's answer, empty for LUNs that are not block devices or did not answer
 * @param problem empty, or why a part is missing ("READ CAPACITY: NOT READY ...")
 */
public record LunSummary(long lun, StandardInquiry inquiry, Optional<Capacity> capacity, String problem) {
}
