"""CPU of processes and of their threads from /proc, sampled twice around a measured interval."""
import os
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
# a thread that used this much of one core over the interval is what limits the run
CEILING_SHARE = 0.90


def parse_stat(text):
    """(comm, user+system ticks) of one /proc/.../stat line; comm may hold spaces and parentheses."""
    head, rest = text.rsplit(")", 1)
    comm = head.split("(", 1)[1]
    fields = rest.split()
    # fields[0] is the state (field 3 of proc(5)); utime and stime are fields 14 and 15
    return comm, int(fields[11]) + int(fields[12])


def _read(path):
    with open(path) as f:
        return f.read()


class Sample:
    """One look at a process: wall time, its CPU ticks, and each thread's (comm, ticks) by thread id."""

    def __init__(self, wall, ticks, threads):
        self.wall = wall
        self.ticks = ticks
        self.threads = threads

    @staticmethod
    def of(pid, with_threads=True):
        wall = time.monotonic()
        ticks = parse_stat(_read(f"/proc/{pid}/stat"))[1]
        threads = {}
        if with_threads:
            for tid in os.listdir(f"/proc/{pid}/task"):
                try:
                    threads[int(tid)] = parse_stat(_read(f"/proc/{pid}/task/{tid}/stat"))
                except (FileNotFoundError, ProcessLookupError):
                    pass  # a thread that ended between the listing and the read
        return Sample(wall, ticks, threads)


def cpu_seconds(s0, s1):
    return (s1.ticks - s0.ticks) / CLK_TCK


def process_share(s0, s1):
    """The process's CPU over the interval, in cores (1.0 = one core busy all the time)."""
    return cpu_seconds(s0, s1) / max(s1.wall - s0.wall, 1e-6)


def thread_shares(s0, s1):
    """Each thread's CPU over the interval in cores, by thread id (threads present in both samples)."""
    wall = max(s1.wall - s0.wall, 1e-6)
    return {tid: (s1.threads[tid][1] - s0.threads[tid][1]) / CLK_TCK / wall
            for tid in s1.threads if tid in s0.threads}


def ceiling(pid, s0, s1, share=CEILING_SHARE):
    """(event-loop share, is the ceiling): tgtd's event loop is its main thread (thread id = pid); the
    target is the ceiling when that thread used `share` of a core or more over the interval."""
    loop = thread_shares(s0, s1).get(pid, 0.0)
    return loop, loop >= share


def threads_by_name(sample):
    """Thread count per name, digits folded (I/O threads numbered 1..n count as one name)."""
    counts = {}
    for comm, _ in sample.threads.values():
        name = "".join("#" if c.isdigit() else c for c in comm)
        while "##" in name:
            name = name.replace("##", "#")
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
