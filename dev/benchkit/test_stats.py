"""Unit tests of dev/bench's statistics: run with `python3 -m unittest discover -s dev/benchkit -t dev`."""
import math
import unittest

from benchkit import procstat, stats
from benchkit.procstat import Sample


class MedianAndSpread(unittest.TestCase):
    def test_median_of_odd_and_even_counts(self):
        self.assertEqual(stats.median([3, 1, 2]), 2)
        self.assertEqual(stats.median([4, 1, 3, 2]), 2.5)

    def test_median_skips_missing_rounds(self):
        self.assertEqual(stats.median([1.0, None, float("nan"), 3.0]), 2.0)
        self.assertTrue(math.isnan(stats.median([])))

    def test_spread_of_nine_rounds(self):
        s = stats.Spread([0.9, 1.1, 1.0, 0.95, 1.05, 0.8, 1.2, 1.0, 1.0])
        self.assertEqual(s.median, 1.0)
        self.assertAlmostEqual(s.q1, 0.95)
        self.assertAlmostEqual(s.q3, 1.05)
        self.assertEqual((s.min, s.max), (0.8, 1.2))
        self.assertEqual(s.text(), "1.00 [0.95-1.05] (0.80..1.20)")

    def test_one_round_has_no_spread(self):
        s = stats.Spread([0.5])
        self.assertEqual((s.q1, s.median, s.q3), (0.5, 0.5, 0.5))

    def test_ratios_pair_rounds_and_skip_failed_ones(self):
        self.assertEqual(stats.paired_ratios([100, None, 300, 50], [50, 10, 0, 100]), [2.0, 0.5])

    def test_median_ratio_is_not_the_ratio_of_medians(self):
        # a slow minute hits both sides of a pair: the paired ratio stays, the medians' ratio would not
        ours, theirs = [100, 100, 50], [100, 200, 50]
        self.assertEqual(stats.median(stats.paired_ratios(ours, theirs)), 1.0)
        self.assertEqual(stats.median(ours) / stats.median(theirs), 1.0)
        self.assertEqual(stats.Spread(stats.paired_ratios(ours, theirs)).min, 0.5)

    def test_bar_depends_on_the_ceiling_and_the_comparison(self):
        self.assertEqual(stats.bar("libiscsi", 0.96, ceiling=True), (0.95, True))
        self.assertEqual(stats.bar("libiscsi", 0.96, ceiling=False), (1.0, False))
        self.assertEqual(stats.bar("off", 0.97, ceiling=False), (0.97, True))
        self.assertEqual(stats.bar("off", float("nan"), ceiling=True), (0.97, False))


class ProcSamples(unittest.TestCase):
    def test_stat_line_with_spaces_and_parentheses_in_the_name(self):
        line = "4242 (tgtd (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 70 0 0 20 0 3 0 5 0 0"
        self.assertEqual(procstat.parse_stat(line), ("tgtd (x) y", 320))

    def sample(self, wall, threads):
        return Sample(wall, sum(t for _, t in threads.values()), threads)

    def test_event_loop_at_ninety_percent_is_the_ceiling(self):
        tck = procstat.CLK_TCK
        s0 = self.sample(10.0, {100: ("tgtd", 0), 101: ("tgtd", 0)})
        s1 = self.sample(12.0, {100: ("tgtd", int(1.8 * tck)), 101: ("tgtd", int(1.9 * tck))})
        share, is_ceiling = procstat.ceiling(100, s0, s1)
        self.assertAlmostEqual(share, 0.9)
        self.assertTrue(is_ceiling)

    def test_busy_worker_threads_do_not_make_the_loop_the_ceiling(self):
        tck = procstat.CLK_TCK
        s0 = self.sample(0.0, {100: ("tgtd", 5 * tck), 101: ("tgtd", 0), 102: ("tgtd", 0)})
        s1 = self.sample(4.0, {100: ("tgtd", 8 * tck), 101: ("tgtd", 4 * tck), 102: ("tgtd", 4 * tck)})
        share, is_ceiling = procstat.ceiling(100, s0, s1)
        self.assertAlmostEqual(share, 0.75)
        self.assertFalse(is_ceiling)
        self.assertAlmostEqual(procstat.process_share(s0, s1), 2.75)

    def test_a_thread_born_during_the_interval_is_left_out(self):
        s0 = self.sample(0.0, {100: ("tgtd", 0)})
        s1 = self.sample(1.0, {100: ("tgtd", 0), 103: ("tgtd", 50)})
        self.assertEqual(set(procstat.thread_shares(s0, s1)), {100})

    def test_threads_counted_by_name_with_numbers_folded(self):
        s = self.sample(0.0, {1: ("kiscsi-io-1", 0), 2: ("kiscsi-io-12", 0), 3: ("java", 0)})
        self.assertEqual(procstat.threads_by_name(s), {"kiscsi-io-#": 2, "java": 1})

    def test_sample_of_this_process(self):
        import os
        s = Sample.of(os.getpid())
        self.assertIn(os.getpid(), s.threads)
        self.assertGreaterEqual(s.ticks, 0)


if __name__ == "__main__":
    unittest.main()
