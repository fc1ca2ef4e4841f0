"""Statistics of interleaved paired rounds: medians, spread, and the bar a ratio has to clear."""
import math
import statistics


def median(xs):
    xs = [x for x in xs if x is not None and not math.isnan(x)]
    return statistics.median(xs) if xs else float("nan")


def quartiles(xs):
    """(q1, q3) by linear interpolation between the sorted values (as numpy's default); one value: (x, x)."""
    xs = sorted(x for x in xs if x is not None and not math.isnan(x))
    if not xs:
        return float("nan"), float("nan")

    def q(p):
        pos = p * (len(xs) - 1)
        lo = math.floor(pos)
        hi = min(lo + 1, len(xs) - 1)
        return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
    return q(0.25), q(0.75)


class Spread:
    """Median of the per-round ratios with their interquartile range and extremes."""

    def __init__(self, ratios):
        self.ratios = [r for r in ratios if r is not None and not math.isnan(r)]
        self.median = median(self.ratios)
        self.q1, self.q3 = quartiles(self.ratios)
        self.min = min(self.ratios) if self.ratios else float("nan")
        self.max = max(self.ratios) if self.ratios else float("nan")

    def text(self):
        if not self.ratios:
            return "-"
        return f"{self.median:.2f} [{self.q1:.2f}-{self.q3:.2f}] ({self.min:.2f}..{self.max:.2f})"


def paired_ratios(ours, theirs):
    """Ratio of each round's pair: ours[i] / theirs[i] (IOPS of the same round); rounds missing either are skipped."""
    out = []
    for a, b in zip(ours, theirs):
        if a is not None and b:
            out.append(a / b)
    return out


def bar(kind, ratio_median, ceiling):
    """The ratio a pattern has to reach: 0.97 of the same build without moderation; against libiscsi's tools
    0.95 where the target is the ceiling and 1.0 where it is not. Returns (needed, met)."""
    if kind == "off":
        need = 0.97
    else:
        need = 0.95 if ceiling else 1.0
    return need, (not math.isnan(ratio_median)) and ratio_median >= need
