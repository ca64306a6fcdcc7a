"""Benchmarks: `python -m bench` runs them all, `python -m bench.<name>` one; each prints its
figures beside a baseline measured in the same run."""
