"""`make bench` / `python -m bench`: every benchmark, one after the other, at full size.

Each prints its figures beside a baseline measured in the same run. Pass --scale 0.1 for a quick
look (the figures in the issue notes are at scale 1); --backend sqlite|postgresql|both.
"""

import sys

from bench import http_bench, matching_bench, placements_bench, search_bench, stats_bench

BENCHMARKS = (matching_bench, placements_bench, stats_bench, search_bench, http_bench)

if __name__ == "__main__":
    for module in BENCHMARKS:
        print(f"== {module.__name__} ==", flush=True)
        sys.argv = [module.__name__, *sys.argv[1:]]
        module.main()
