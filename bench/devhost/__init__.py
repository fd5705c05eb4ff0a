"""Benchmarks and drivers for the embedded host (devhost): load, crash and latency figures."""
