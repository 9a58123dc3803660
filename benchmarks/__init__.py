"""Benchmarks and the synthetic content they build."""
