"""One run cut into contiguous segments on the caller's clock, from the traced host's marks.

The client stamps sending the POST and having its answer; the host (`bench.peers.trace_host`) marks
entering and leaving its HTTP handler, each orchestration episode, each activity and the model's
stream. Every moment between the client's two stamps belongs to exactly one segment, so a run's
segments add up to what the caller waited, and each says which code the time went to.
"""

import statistics
from collections import defaultdict
from collections.abc import Sequence

# (monotonic ns, traced point, ">" entering or "<" leaving), as `bench.peers.trace_host` records them.
Mark = tuple[int, str, str]

# Segment keys in the order a run passes through them, with what each holds.
SEGMENTS = {
    "request_in": "the request reaching the host's HTTP handler (client, loopback, aiohttp)",
    "start": "the app's HTTP function validating the body and starting the run through the durable client",
    "episodes": "orchestration episodes: the SDK's replay, decisions, one SQLite commit each",
    "dispatch": "between an episode and the activity it scheduled, or an activity and the episode it wakes",
    "agent_setup": "run_agent and agent-framework until the model is asked (settings, agent, stream)",
    "model": "the model composing and streaming its reply (its delay, spread over the words)",
    "agent_finish": "after the last word: agent-framework assembling the reply, the stream store, the result",
    "end": "from the last episode to the handler's reply (the held status read, the run document)",
    "response_out": "the answer reaching the client",
}

# The segment a traced point opens, by (label, entering or leaving).
_OPENS = {
    ("http", ">"): "start",
    ("episode", ">"): "episodes",
    ("episode", "<"): "dispatch",
    ("activity", ">"): "agent_setup",
    ("model", ">"): "model",
    ("model", "<"): "agent_finish",
    ("activity", "<"): "dispatch",
    ("http", "<"): "response_out",
}


def run_segments(marks: Sequence[Mark], sent_ns: int, answered_ns: int) -> dict[str, float]:
    """Milliseconds per segment for the run the client sent at `sent_ns` and had at `answered_ns`.

    `marks` must be sorted by time. The status reads the app makes while it waits (`rpc`) run between
    the steps on the same event loop; they are counted under the segment they interrupt.
    """
    spent: dict[str, float] = defaultdict(float)
    segment, since = "request_in", sent_ns
    for at, label, edge in marks:
        if not sent_ns <= at <= answered_ns or (label, edge) not in _OPENS:
            continue
        opened = _OPENS[label, edge]
        if opened == "response_out" and segment == "dispatch":
            segment = "end"  # after the last episode nothing is dispatched: the run has ended
        spent[segment] += (at - since) / 1e6
        segment, since = opened, at
    if segment == "dispatch":
        segment = "end"
    spent[segment] += (answered_ns - since) / 1e6
    return {key: spent.get(key, 0.0) for key in SEGMENTS}


def median_segments(marks: Sequence[Mark], windows: Sequence[tuple[int, int]]) -> dict[str, float]:
    """The median of each segment over the runs in `windows` ((sent, answered) in monotonic ns)."""
    ordered = sorted(marks)
    runs = [run_segments(ordered, sent, answered) for sent, answered in windows]
    return {key: statistics.median(run[key] for run in runs) for key in SEGMENTS}


def client_calls_per_run(marks: Sequence[Mark], windows: Sequence[tuple[int, int]]) -> float:
    """How many durable client calls (the start, the wait's status reads) the app made per run."""
    starts = [at for at, label, edge in marks if label == "rpc" and edge == ">"]
    calls = sum(1 for at in starts for sent, answered in windows if sent <= at <= answered)
    return calls / len(windows) if windows else 0.0
