package org.kiscsi.api.scsi;

import java.util.Objects;

/**
 * The persistent reservation a LU holds, from PERSISTENT RESERVE IN / READ RESERVATION (SPC-4).
 *
 * @param generation PRGENERATION
 * @param key the reservation key of the holder
 * @param type the reservation type
 * @param scope SCOPE (0 = logical unit)
 */
public record PersistentReservation(long generation, long key, PrType type, int scope) {
    public PersistentReservation {
        Objects.requireNonNull(type, "type");
    }

    @Override
    public String toString() {
        return String.format("PersistentReservation[%s by key 0x%x, generation %d]", type, key, generation);
    }
}
