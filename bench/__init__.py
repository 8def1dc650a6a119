"""Benchmarks: each bench_*.py module measures one thing against a baseline run beside it."""
