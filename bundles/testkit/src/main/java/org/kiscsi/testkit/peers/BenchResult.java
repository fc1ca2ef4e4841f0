package org.kiscsi.testkit.peers;

/**
 * A {@code qemu-img bench} run: what it sent ("Sending N read requests, B bytes each, D in
 * parallel") and its "Run completed in S seconds" (millisecond resolution).
 */
public record BenchResult(boolean write, long requests, long bytesPerRequest, int depth, double seconds) {
    /** Requests per second; infinite when the run took under a millisecond. */
    public double iops() {
        return seconds > 0 ? requests / seconds : Double.POSITIVE_INFINITY;
    }

    public double mibPerSecond() {
        return iops() * bytesPerRequest / (1024.0 * 1024.0);
    }
}
