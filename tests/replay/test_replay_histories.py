"""Recorded real runs replay through the SDK to the same actions and output; changes are judged as DTFx would.

The histories in `histories/` come from `python -m tests.replay.record` (make record-histories). A
failure of the first test means the orchestrator now decides differently on a recorded history: either
re-record (a deliberate change for new runs that is safe for in-flight ones, see
docs/replay-safety.md) or version the orchestrator.

The tests cover every orchestrator the app registers. One with no stored recording yet (a workflow
just added) is run once on a fresh embedded host and its real history replayed, with a warning that
`make record-histories WORKFLOWS=<name>` stores it, so that later changes to it are checked against
that run.
"""

import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import azure.durable_functions as df
import pytest

from orchestrators.contract import CONVERSATION_ENTITY
from orchestrators.retry import Steps, call_agent
from tests.replay import recording as recording_module
from tests.replay.history_view import dtfx_history, episode_prefixes
from tests.replay.record import recording_host
from tests.replay.recording import ORCHESTRATORS, Recording, history_path, load
from tests.replay.replayer import Replayed, differences, nondeterminism, replay
from tests.replay.worked_examples import (
    chain_as_recorded,
    chain_with_a_lookup_first,
    chain_with_a_new_review_prompt,
    chain_writer_and_reviewer_swapped,
    frozen_chain_recording,
)

WORKFLOWS = sorted(ORCHESTRATORS)
Recordings = Callable[[str], Recording]


@pytest.fixture(scope="module")
def recordings() -> Iterator[Recordings]:
    """The stored recording of a workflow, else one recorded now (the host starts only if needed)."""
    with ExitStack() as stack:
        fresh: dict[str, Recording] = {}
        hosts: list[Callable[[str], Recording]] = []

        def recording_of(workflow: str) -> Recording:
            if history_path(workflow).exists():
                return load(workflow)
            if workflow not in fresh:
                if not hosts:
                    hosts.append(stack.enter_context(recording_host()))
                fresh[workflow] = hosts[0](workflow)
                warnings.warn(
                    f"no stored recording of '{workflow}': recorded a run now and replayed it; "
                    f"`make record-histories WORKFLOWS={workflow}` stores it, so later changes are "
                    "checked against it",
                    stacklevel=2,
                )
            return fresh[workflow]

        yield recording_of


def identities(actions: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(a["kind"], a["name"]) for a in actions]


def what_to_do(workflow: str) -> str:
    """The two ways out of a failing replay test, as docs/replay-safety.md explains them."""
    return (
        f"If deliberate and safe for in-flight runs: `make record-histories WORKFLOWS={workflow}`; "
        "otherwise version the workflow (docs/replay-safety.md)"
    )


def in_flight_divergence(
    workflow: str,
    number: int,
    replayed: Replayed,
    prefix: list[dict[str, Any]],
    recorded: list[dict[str, Any]],
) -> str | None:
    """Why a run in flight after episode `number` would diverge under the current code, or None."""
    if replayed.error is not None:
        problem = f"the code raises: {replayed.error}"
    elif verdict := nondeterminism(prefix, replayed):
        problem = verdict
    else:
        now, was = identities(replayed.actions), identities(recorded[: len(replayed.actions)])
        position = next(
            (index for index, pair in enumerate(zip(now, was, strict=False)) if pair[0] != pair[1]), None
        )
        if position is None and len(now) == len(was):
            return None
        position = min(len(now), len(was)) if position is None else position
        shown = now[position] if position < len(now) else "nothing"
        expected = was[position] if position < len(was) else "nothing"
        problem = f"at action #{position} the code produces {shown}, the recording has {expected}"
    return (
        f"{workflow}: a run in flight after episode {number} would diverge: {problem}; "
        f"runs already at that point would fail or use the wrong recorded results. {what_to_do(workflow)}"
    )


@pytest.mark.catalog
@pytest.mark.parametrize("workflow", WORKFLOWS)
def test_recorded_run_replays_to_the_same_actions_and_output(workflow: str, recordings: Recordings) -> None:
    recording = recordings(workflow)
    history = dtfx_history(recording.history)

    replayed = replay(ORCHESTRATORS[workflow], history)

    problems = differences(recording.actions, recording.output, replayed)
    assert not problems, (
        f"{workflow} replays differently:\n" + "\n".join(problems) + "\n" + what_to_do(workflow)
    )
    assert nondeterminism(history, replayed) is None


@pytest.mark.catalog
@pytest.mark.parametrize("workflow", WORKFLOWS)
def test_a_run_in_flight_at_any_episode_replays_its_recorded_decisions(
    workflow: str, recordings: Recordings
) -> None:
    recording = recordings(workflow)
    prefixes = episode_prefixes(dtfx_history(recording.history))
    assert len(prefixes) >= 2, "a recording has at least a start and one completion"

    for number, prefix in enumerate(prefixes):
        replayed = replay(ORCHESTRATORS[workflow], prefix)
        divergence = in_flight_divergence(workflow, number, replayed, prefix, recording.actions)
        assert divergence is None, divergence


def test_failure_messages_say_what_to_do() -> None:
    recording = frozen_chain_recording()
    prefix = episode_prefixes(dtfx_history(recording.history))[1]

    divergence = in_flight_divergence(
        "chain", 1, replay(chain_with_a_lookup_first, prefix), prefix, recording.actions
    )

    assert divergence is not None
    assert divergence.startswith(
        "chain: a run in flight after episode 1 would diverge: "
        "Non-Deterministic workflow detected: sequence id 0"
    )
    assert divergence.endswith(
        "If deliberate and safe for in-flight runs: `make record-histories WORKFLOWS=chain`; "
        "otherwise version the workflow (docs/replay-safety.md)"
    )


# --- worked examples: changed versions of a frozen chain, to show what the replay test and DTFx each catch.
# They replay their own frozen recording (tests/replay/worked_examples.py), so re-recording chain after a
# deliberate change never breaks them.
def test_the_frozen_chain_replays_its_frozen_recording() -> None:
    recording = frozen_chain_recording()
    history = dtfx_history(recording.history)

    replayed = replay(chain_as_recorded, history)

    assert differences(recording.actions, recording.output, replayed) == []
    assert nondeterminism(history, replayed) is None


def test_worked_examples_do_not_read_the_live_recordings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # As after `make record-histories WORKFLOWS=chain` with a new prompt: the live recording is elsewhere.
    monkeypatch.setattr(recording_module, "HISTORIES", tmp_path)
    test_swapping_writer_and_reviewer_fails_the_replay_test_though_dtfx_cannot_see_it()
    test_an_activity_inserted_before_the_first_fails_both_checks()
    test_a_new_prompt_for_a_step_not_yet_run_is_accepted_in_flight_and_changes_new_runs()


def test_swapping_writer_and_reviewer_fails_the_replay_test_though_dtfx_cannot_see_it() -> None:
    recording = frozen_chain_recording()
    history = dtfx_history(recording.history)

    replayed = replay(chain_writer_and_reviewer_swapped, history)

    problems = differences(recording.actions, recording.output, replayed)
    assert problems and problems[0].startswith("action #1 (CallActivity run_agent) differs at .input.agent")
    assert '"writer"' in problems[0] and '"reviewer"' in problems[0]
    # Every step is the activity run_agent, so DTFx's (id, kind, name) check passes: an in-flight run
    # would silently treat the writer's recorded result as the review. Only the input comparison sees it.
    assert nondeterminism(history, replayed) is None


def test_an_activity_inserted_before_the_first_fails_both_checks() -> None:
    recording = frozen_chain_recording()
    history = dtfx_history(recording.history)

    replayed = replay(chain_with_a_lookup_first, history)

    assert differences(recording.actions, recording.output, replayed)[0].startswith(
        "action #0 (CallActivity run_agent) differs at .input"
    )
    verdict = nondeterminism(history, replayed)
    assert verdict is not None
    assert (
        "sequence id 0 was activity 'run_agent' in history but the replay produced activity 'run_tool'"
        in verdict
    )


def test_a_new_prompt_for_a_step_not_yet_run_is_accepted_in_flight_and_changes_new_runs() -> None:
    recording = frozen_chain_recording()
    history = dtfx_history(recording.history)
    after_research = episode_prefixes(history)[1]  # researcher done, writer scheduled, reviewer not yet

    in_flight = replay(chain_with_a_new_review_prompt, after_research)
    finished = replay(chain_with_a_new_review_prompt, history)

    assert nondeterminism(after_research, in_flight) is None
    assert in_flight.actions == recording.actions[: len(in_flight.actions)] and len(in_flight.actions) == 2
    # A finished run replays too (DTFx ignores inputs), but the recording no longer describes new runs:
    # the replay test names the changed step, and `make record-histories` records the new behaviour.
    assert nondeterminism(history, finished) is None
    assert differences(recording.actions, recording.output, finished)[0].startswith(
        "action #2 (CallActivity run_agent) differs at .input.prompt"
    )


def test_entity_calls_are_checked_by_entity_and_operation() -> None:
    recording = load("session")
    history = dtfx_history(recording.history)

    def session_with_a_renamed_operation(context: df.DurableOrchestrationContext) -> Steps:
        entity = df.EntityId(CONVERSATION_ENTITY, context.get_input()["session_id"])
        state = yield context.call_entity(entity, "load")  # was "get" when the run was recorded
        reply = yield from call_agent(context, "chat", state["messages"])
        return {"reply": reply["text"]}

    replayed = replay(session_with_a_renamed_operation, history)

    verdict = nondeterminism(history, replayed)
    assert verdict is not None
    assert (
        "sequence id 0 was entity operation '@conversation@replay.get' in history "
        "but the replay produced entity operation '@conversation@replay.load'"
    ) in verdict
