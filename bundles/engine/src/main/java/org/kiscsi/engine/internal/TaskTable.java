package org.kiscsi.engine.internal;

/**
 * Outstanding tasks by ITT. An ITT is a slot number in the low bits and a generation above it, so a
 * late answer for a reused slot is recognised as stale. Not thread-safe: the session guards it.
 */
final class TaskTable {
    private static final int SLOT_BITS = 12;
    private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;

    private final Task[] slots;
    private final int[] generations;
    private final int[] free;
    private int freeCount;
    /** Told the number of outstanding tasks whenever it changes (the transport's replies-awaited hint). */
    private final java.util.function.IntConsumer outstandingChanged;

    TaskTable(int capacity) {
        this(capacity, n -> { });
    }

    TaskTable(int capacity, java.util.function.IntConsumer outstandingChanged) {
        this.outstandingChanged = outstandingChanged;
        if (capacity < 1 || capacity > SLOT_MASK) {
            throw new IllegalArgumentException("task table capacity " + capacity);
        }
        slots = new Task[capacity];
        generations = new int[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    boolean hasFreeSlot() {
        return freeCount > 0;
    }

    int outstanding() {
        return slots.length - freeCount;
    }

    int capacity() {
        return slots.length;
    }

    /** Puts {@code task} in a free slot and gives it an ITT. */
    int add(Task task) {
        if (freeCount == 0) {
            throw new IllegalStateException("no free task slot");
        }
        int slot = free[--freeCount];
        int gen = (generations[slot] + 1) & 0xFFFFF;
        if ((gen << SLOT_BITS | slot) == -1) {
            gen = 0; // never hand out the reserved tag 0xffffffff
        }
        generations[slot] = gen;
        slots[slot] = task;
        task.itt = gen << SLOT_BITS | slot;
        outstandingChanged.accept(outstanding());
        return task.itt;
    }

    /** The task with this ITT, or null when none (unknown or stale tag). */
    Task get(int itt) {
        int slot = itt & SLOT_MASK;
        if (slot >= slots.length) {
            return null;
        }
        Task t = slots[slot];
        return t != null && t.itt == itt ? t : null;
    }

    /** Frees the task's slot. */
    void remove(Task task) {
        int slot = task.itt & SLOT_MASK;
        if (slot < slots.length && slots[slot] == task) {
            slots[slot] = null;
            free[freeCount++] = slot;
            outstandingChanged.accept(outstanding());
        }
        task.itt = -1;
    }

    /** Every outstanding task (for timeouts and failures); a snapshot. */
    java.util.List<Task> all() {
        java.util.List<Task> out = new java.util.ArrayList<>();
        for (Task t : slots) {
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }
}
