"""`python -m bench.mcp_overhead` runs: both ways in complete `chain` and the report states the ratio."""

from bench.mcp_overhead import measure, report


def test_mcp_and_http_both_complete_chain_and_the_report_gives_the_ratio() -> None:
    latencies = measure(rounds=2, warmup=0)
    assert sorted(latencies) == ["http", "mcp"]
    assert all(len(values) == 2 and min(values) > 0 for values in latencies.values())
    markdown = report(latencies, rounds=2)
    assert "MCP / HTTP (p50): **" in markdown and "target of 1.2x" in markdown
