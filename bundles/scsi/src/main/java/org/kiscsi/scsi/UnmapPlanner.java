package org.kiscsi.scsi;

import java.util.ArrayList;
import java.util.List;

import org.kiscsi.api.scsi.UnmapRange;

/**
 * Splits UNMAP ranges into commands that respect the Block Limits page: at most {@code maxLbaCount}
 * blocks and {@code maxDescriptors} descriptors per command (a range larger than {@code maxLbaCount}
 * is cut into several). A limit of 0 or 0xFFFFFFFF means none; a parameter list never holds more than
 * {@link UnmapParameters#MAX_DESCRIPTORS}.
 */
final class UnmapPlanner {
    private static final long NO_LIMIT = 0xFFFF_FFFFL;

    private UnmapPlanner() {
    }

    /**
     * @param maxCommands refuse (IllegalArgumentException) plans of more commands than this
     */
    static List<List<UnmapRange>> plan(List<UnmapRange> ranges, long maxLbaCount, long maxDescriptors, int maxCommands) {
        long lbaLimit = maxLbaCount == 0 || maxLbaCount == NO_LIMIT ? Long.MAX_VALUE : maxLbaCount;
        long descLimit = maxDescriptors == 0 || maxDescriptors == NO_LIMIT ? UnmapParameters.MAX_DESCRIPTORS
                : Math.min(maxDescriptors, UnmapParameters.MAX_DESCRIPTORS);
        List<List<UnmapRange>> commands = new ArrayList<>();
        List<UnmapRange> current = new ArrayList<>();
        long currentBlocks = 0;
        for (UnmapRange r : ranges) {
            long lba = r.lba();
            long left = r.blocks();
            while (left > 0) {
                if (current.size() == descLimit || currentBlocks == lbaLimit) {
                    if (commands.size() + 1 >= maxCommands) {
                        throw new IllegalArgumentException("UNMAP of " + ranges.size() + " ranges would take more than "
                                + maxCommands + " commands at the Block Limits page's maxima (" + maxLbaCount
                                + " blocks, " + maxDescriptors + " descriptors per command)");
                    }
                    commands.add(current);
                    current = new ArrayList<>();
                    currentBlocks = 0;
                }
                long n = Math.min(left, lbaLimit - currentBlocks);
                current.add(new UnmapRange(lba, n));
                currentBlocks += n;
                lba += n;
                left -= n;
            }
        }
        if (!current.isEmpty()) {
            commands.add(current);
        }
        return commands;
    }
}
