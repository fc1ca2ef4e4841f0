package org.kiscsi.testkit.peers;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The most SCSI commands outstanding at once in a capture. Walks the PDUs in capture order
 * (loopback sees both directions on one clock): a SCSI Command (0x01) opens task (TCP stream,
 * ITT); a SCSI Response (0x21) or a Data-In with the S bit (status in the last Data-In, no
 * separate response) closes it; a Logout Response closes all of its connection's tasks. The
 * answer is the largest number of open tasks seen, over all connections together. Tasks ended
 * otherwise (ABORT TASK, a dropped connection) stay open: measure clean runs only.
 */
public final class OutstandingCommands {
    private OutstandingCommands() {
    }

    public static int max(List<IscsiPdu> pdus) {
        Map<Integer, Set<Long>> open = new HashMap<>();
        int total = 0;
        int max = 0;
        for (IscsiPdu p : pdus) {
            Set<Long> tasks = open.computeIfAbsent(p.tcpStream(), s -> new HashSet<>());
            if (p.opcode() == IscsiPdu.SCSI_COMMAND) {
                if (tasks.add(p.initiatorTaskTag())) {
                    total++;
                }
            } else if (p.completesTask()) {
                if (tasks.remove(p.initiatorTaskTag())) {
                    total--;
                }
            } else if (p.opcode() == IscsiPdu.LOGOUT_RESPONSE) {
                total -= tasks.size();
                tasks.clear();
            }
            max = Math.max(max, total);
        }
        return max;
    }
}
