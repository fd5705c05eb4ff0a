"""Benchmarks: the embedded host alone (`bench.devhost`) and the template beside its peers (`bench.peers`)."""
