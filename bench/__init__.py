"""`make bench`: throughput, latency, search scaling, API and admin cost, memory, as ratios
against floors measured in the same run. Entry point: bench/run.py."""
