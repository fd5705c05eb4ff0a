"""`bench.streaming`'s idle-poll measurement counts what a poll of an unchanged long run reads."""

from bench.streaming import idle_poll, report


def test_an_idle_poll_of_a_long_run_reads_one_small_status() -> None:
    idle = idle_poll(300)  # more events than one page: the reader catches up before polling idly
    assert idle["events"] == 1 + 2 * 300
    assert (idle["idle_status_reads"], idle["idle_history_reads"]) == (1, 0)
    assert idle["idle_bytes"] < idle["first_bytes"] / 100
    text = report([12.0, 30.0, 45.0], idle)
    assert "met: token emission → arrival p50 = 30.0 ms" in text
