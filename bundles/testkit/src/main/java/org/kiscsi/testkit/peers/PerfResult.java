package org.kiscsi.testkit.peers;

/** iscsi-perf's final "iops average N (M MB/s)" line; its MB are MiB (bytes / 1048576). */
public record PerfResult(long iops, long mibPerSecond, int seconds, int maxRequests, int blocksPerRequest, boolean random) {
}
