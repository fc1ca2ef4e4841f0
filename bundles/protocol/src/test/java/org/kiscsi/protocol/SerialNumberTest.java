package org.kiscsi.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SerialNumberTest {
    @Test
    void ordinaryAndWrappingComparisons() {
        assertTrue(SerialNumber.lessThan(1, 2));
        assertFalse(SerialNumber.lessThan(2, 1));
        assertFalse(SerialNumber.lessThan(5, 5));
        assertTrue(SerialNumber.lessThan(0xFFFFFFFF, 0)); // wraps
        assertTrue(SerialNumber.lessThan(0xFFFFFFF0, 0x10));
        assertTrue(SerialNumber.greaterThan(0x10, 0xFFFFFFF0));
        assertTrue(SerialNumber.lessOrEqual(7, 7));
        assertTrue(SerialNumber.greaterOrEqual(0, 0xFFFFFFFF));
    }

    @Test
    void halfwayIsUndefined() {
        assertFalse(SerialNumber.lessThan(0, 0x80000000));
        assertFalse(SerialNumber.greaterThan(0, 0x80000000));
    }

    @Test
    void distanceAndWindow() {
        assertEquals(2, SerialNumber.distance(0xFFFFFFFF, 1));
        assertTrue(SerialNumber.windowOpen(10, 10));
        assertTrue(SerialNumber.windowOpen(0xFFFFFFFF, 3));
        assertFalse(SerialNumber.windowOpen(11, 10));
    }
}
