package org.kiscsi.api.scsi;

import java.util.Objects;

/**
 * One PERSISTENT RESERVE OUT request (SPC-4). Build it with the factories, e.g.
 * {@code PrOut.register(0, myKey)}, {@code PrOut.reserve(myKey, PrType.WRITE_EXCLUSIVE)}.
 *
 * @param action the service action
 * @param key RESERVATION KEY: the caller's current key (0 when registering a first key)
 * @param serviceActionKey SERVICE ACTION RESERVATION KEY: the new key (REGISTER) or the key to preempt
 * @param type the reservation type, null for actions that take none (REGISTER, CLEAR)
 * @param activatePersistThroughPowerLoss APTPL
 */
public record PrOut(Action action, long key, long serviceActionKey, PrType type, boolean activatePersistThroughPowerLoss) {
    /** PERSISTENT RESERVE OUT service actions (SPC-4). */
    public enum Action {
        REGISTER(0x00), RESERVE(0x01), RELEASE(0x02), CLEAR(0x03), PREEMPT(0x04), PREEMPT_AND_ABORT(0x05),
        REGISTER_AND_IGNORE_EXISTING_KEY(0x06);

        private final int code;

        Action(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    public PrOut {
        Objects.requireNonNull(action, "action");
        boolean needsType = action == Action.RESERVE || action == Action.RELEASE || action == Action.PREEMPT
                || action == Action.PREEMPT_AND_ABORT;
        if (needsType && type == null) {
            throw new IllegalArgumentException("PERSISTENT RESERVE OUT " + action + " needs a reservation type");
        }
    }

    /** Registers {@code newKey} (0 unregisters) in place of {@code currentKey} (0 when not registered). */
    public static PrOut register(long currentKey, long newKey) {
        return new PrOut(Action.REGISTER, currentKey, newKey, null, false);
    }

    /** Registers {@code newKey} whatever key the I_T nexus had. */
    public static PrOut registerAndIgnoreExistingKey(long newKey) {
        return new PrOut(Action.REGISTER_AND_IGNORE_EXISTING_KEY, 0, newKey, null, false);
    }

    public static PrOut reserve(long key, PrType type) {
        return new PrOut(Action.RESERVE, key, 0, type, false);
    }

    public static PrOut release(long key, PrType type) {
        return new PrOut(Action.RELEASE, key, 0, type, false);
    }

    /** Releases the reservation and removes every registration. */
    public static PrOut clear(long key) {
        return new PrOut(Action.CLEAR, key, 0, null, false);
    }

    /** Removes the registrations of {@code victimKey} (and takes its reservation, with {@code type}). */
    public static PrOut preempt(long key, long victimKey, PrType type) {
        return new PrOut(Action.PREEMPT, key, victimKey, type, false);
    }

    public static PrOut preemptAndAbort(long key, long victimKey, PrType type) {
        return new PrOut(Action.PREEMPT_AND_ABORT, key, victimKey, type, false);
    }

    @Override
    public String toString() {
        // reservation keys are not secrets, but printed as hex as sg_persist does
        return String.format("PrOut[%s key 0x%x sa-key 0x%x%s]", action, key, serviceActionKey,
                type == null ? "" : " " + type);
    }
}
