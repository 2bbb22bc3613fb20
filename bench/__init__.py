"""Benchmark harness for issue #12 (benchmarks at scale). Not an installed Django app.

`bench/run` drives everything; `bench.pages` is the one list of pages the harness measures.
"""
