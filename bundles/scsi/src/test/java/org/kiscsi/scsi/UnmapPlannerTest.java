package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.scsi.UnmapRange;

class UnmapPlannerTest {
    private static UnmapRange r(long lba, long blocks) {
        return new UnmapRange(lba, blocks);
    }

    @Test
    void withoutLimitsEverythingGoesInOneCommand() {
        List<UnmapRange> ranges = List.of(r(0, 8), r(100, 0xFFFF_FFFFL), r(1L << 40, 1));
        assertEquals(List.of(ranges), UnmapPlanner.plan(ranges, 0, 0, 100));
        assertEquals(List.of(ranges), UnmapPlanner.plan(ranges, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 100));
    }

    @Test
    void descriptorLimitStartsNewCommands() {
        assertEquals(List.of(List.of(r(0, 1), r(10, 1)), List.of(r(20, 1))),
                UnmapPlanner.plan(List.of(r(0, 1), r(10, 1), r(20, 1)), 0, 2, 100));
    }

    @Test
    void lbaCountLimitCutsRangesAcrossCommands() {
        assertEquals(List.of(List.of(r(0, 6), r(100, 2)), List.of(r(102, 8)), List.of(r(110, 2))),
                UnmapPlanner.plan(List.of(r(0, 6), r(100, 12)), 8, 0, 100));
    }

    @Test
    void aParameterListNeverHoldsMoreThanFitsItsLength() {
        List<UnmapRange> many = new ArrayList<>();
        for (int i = 0; i < UnmapParameters.MAX_DESCRIPTORS + 1; i++) {
            many.add(r(2L * i, 1));
        }
        List<List<UnmapRange>> plan = UnmapPlanner.plan(many, 0, 0, 100);
        assertEquals(2, plan.size());
        assertEquals(UnmapParameters.MAX_DESCRIPTORS, plan.get(0).size());
        assertEquals(0xFFF8, UnmapParameters.of(plan.get(0)).length); // 8 + 16 x 4095: still fits 16 bits
    }

    @Test
    void aPlanOfTooManyCommandsIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UnmapPlanner.plan(List.of(r(0, 1000)), 1, 0, 10));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("more than 10 commands"), e.getMessage());
        assertEquals(10, UnmapPlanner.plan(List.of(r(0, 10)), 1, 0, 10).size());
    }
}
