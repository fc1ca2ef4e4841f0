"""Shared parts of dev/bench and dev/scale: statistics, /proc sampling, tgtd instances."""
