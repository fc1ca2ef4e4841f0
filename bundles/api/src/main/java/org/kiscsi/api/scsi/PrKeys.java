package org.kiscsi.api.scsi;

import java.util.List;

/**
 * PERSISTENT RESERVE IN / READ KEYS: the registered reservation keys (SPC-4).
 *
 * @param generation PRGENERATION
 * @param keys the registered keys, one per registered I_T nexus, in the target's order
 */
public record PrKeys(long generation, List<Long> keys) {
    public PrKeys {
        keys = List.copyOf(keys);
    }
}
