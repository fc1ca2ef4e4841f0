package org.kiscsi.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The task table without sockets: ITTs, stale answers, capacity and the replies-awaited hint. */
class TaskTableTest {
    private static Task.Control<Void> task(String name) {
        return new Task.Control<>(name);
    }

    @Test
    void aReusedSlotGetsANewTagSoALateAnswerForTheOldOneFindsNothing() {
        TaskTable t = new TaskTable(1);
        Task a = task("a");
        int first = t.add(a);
        assertSame(a, t.get(first));
        t.remove(a);
        assertEquals(-1, a.itt, "a task out of the table has no tag");
        Task b = task("b");
        int second = t.add(b);
        assertNotEquals(first, second, "same slot, new generation");
        assertNull(t.get(first), "the answer for the old task is recognised as stale");
        assertSame(b, t.get(second));
        assertNull(t.get(0xFFFFFFFF), "the reserved tag is never a task");
    }

    @Test
    void theTableIsBoundedAndSaysHowManyRepliesAreDue() {
        List<Integer> hints = new ArrayList<>();
        TaskTable t = new TaskTable(2, hints::add);
        Task a = task("a");
        Task b = task("b");
        t.add(a);
        t.add(b);
        assertFalse(t.hasFreeSlot());
        assertThrows(IllegalStateException.class, () -> t.add(task("c")));
        t.remove(b);
        t.remove(b); // twice: no effect
        assertEquals(1, t.outstanding());
        assertEquals(List.of(1, 2, 1), hints);
        assertEquals(List.of(a), t.all());
        assertTrue(t.hasFreeSlot());
    }
}
