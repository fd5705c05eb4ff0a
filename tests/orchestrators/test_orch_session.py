"""session: the conversation entity is read, appended and compacted so it stays bounded."""

import json

from orchestrators.conversation_entity import conversation
from orchestrators.session import MAX_TURN_ATTEMPTS, session
from tests.orchestrators.harness import FakeActivities, OrchestrationRun
from tests.orchestrators.harness.fakes import echo
from tests.orchestrators.streams import STREAM

ENTITY = "@conversation@s-1"


def turn(
    message: str, states: dict[str, str], fake: FakeActivities, max_messages: int = 40
) -> OrchestrationRun:
    given = {"session_id": "s-1", "message": message, "max_messages": max_messages}
    run = OrchestrationRun(session, given, entities={"conversation": conversation}, entity_states=states)
    run.start()
    run.drive(fake)
    return run


def test_first_turn_reads_replies_and_appends_the_exchange() -> None:
    states: dict[str, str] = {}
    run = OrchestrationRun(
        session,
        {"session_id": "s-1", "message": "hi", "max_messages": 40},
        entities={"conversation": conversation},
        entity_states=states,
    )
    [get] = run.start().scheduled
    assert (get.kind, get.name, get.entity, get.input) == ("entity", "get", ENTITY, None)

    fake = FakeActivities()
    last = run.drive(fake)

    assert fake.inputs("run_agent") == [
        {"agent": "chat", "messages": [{"role": "user", "text": "hi"}], **STREAM}
    ]
    entity_calls = [(w.name, w.input) for e in run.episodes for w in e.scheduled if w.kind == "entity"]
    exchange = [{"role": "user", "text": "hi"}, {"role": "assistant", "text": "chat on hi"}]
    assert entity_calls == [("get", None), ("append", {"messages": exchange, "turns": 0})]
    assert last.output == {"session_id": "s-1", "reply": "chat on hi", "turns": 1}
    assert run.entity_state("conversation", "s-1")["messages"][-1] == {
        "role": "assistant",
        "text": "chat on hi",
    }
    assert run.steps == ["loading", "replying", "saving", "done"]


def test_chat_sees_the_summary_and_earlier_messages() -> None:
    earlier = [{"role": "user", "text": "my name is Ana"}, {"role": "assistant", "text": "hello Ana"}]
    states = {ENTITY: json.dumps({"summary": "Ana likes tea.", "messages": earlier, "turns": 3})}
    fake = FakeActivities()

    turn("what do I like?", states, fake)

    [chat] = fake.inputs("run_agent")
    assert chat["messages"] == [
        {"role": "system", "text": "Summary of the conversation so far: Ana likes tea."},
        *earlier,
        {"role": "user", "text": "what do I like?"},
    ]


def test_over_the_bound_the_oldest_messages_are_summarised_and_dropped() -> None:
    earlier = [{"role": r, "text": f"{r} {i}"} for i in range(2) for r in ("user", "assistant")]
    states = {ENTITY: json.dumps({"summary": None, "messages": earlier, "turns": 2})}
    fake = FakeActivities()

    run = turn("third", states, fake, max_messages=4)

    summariser = fake.inputs("run_agent")[1]
    assert summariser["agent"] == "summariser"
    assert all(m["text"] in summariser["prompt"] for m in earlier)
    compact = [w for e in run.episodes for w in e.scheduled if w.name == "compact"]
    assert [w.input["drop"] for w in compact] == [4]
    state = run.entity_state("conversation", "s-1")
    assert state["summary"] == summariser_reply(summariser)
    assert state["messages"] == [
        {"role": "user", "text": "third"},
        {"role": "assistant", "text": "chat on third"},
    ]
    assert run.last.output["turns"] == 3
    steps = [(s["step"], s["index"], s["of"]) for s in run.statuses]
    # a status is published again with new usage after each agent step: the steps, each once
    assert [step for n, step in enumerate(steps) if n == 0 or steps[n - 1] != step] == [
        ("loading", 1, 3),
        ("replying", 2, 3),
        ("saving", 3, 3),
        ("compacting", 4, 4),
        ("done", 4, 4),
    ]


def summariser_reply(payload: dict) -> str:
    return f"summariser on {payload['prompt'].splitlines()[0]}"


def test_many_turns_stay_within_the_bound_and_keep_counting() -> None:
    states: dict[str, str] = {}
    fake = FakeActivities()

    for n in range(1, 13):
        run = turn(f"message {n}", states, fake, max_messages=6)
        state = run.entity_state("conversation", "s-1")
        assert len(state["messages"]) <= 6
        assert run.last.output["turns"] == n == state["turns"]
    assert state["summary"] is not None
    assert state["messages"][-1] == {"role": "assistant", "text": "chat on message 12"}


def test_a_turn_saved_meanwhile_makes_the_other_one_reply_again_from_it() -> None:
    """Two messages at once: while the second turn's reply is being written the first one is saved,
    so the second is not appended over it but read and answered again, seeing the first."""
    states: dict[str, str] = {}
    given = {"session_id": "s-1", "message": "first", "max_messages": 40}
    entities = {"conversation": conversation}
    first = OrchestrationRun(session, given, instance_id="turn-1", entities=entities, entity_states=states)

    def chat_while_the_first_turn_lands(payload: dict) -> dict:
        if not first.done:
            first.start()
            first.drive(FakeActivities())
        return echo(payload)

    fake = FakeActivities({"chat": chat_while_the_first_turn_lands})
    second = turn("second", states, fake)

    chats = fake.inputs("run_agent")
    assert [m["text"] for m in chats[0]["messages"]] == ["second"]
    assert [m["text"] for m in chats[1]["messages"]] == ["first", "chat on first", "second"]
    assert run_texts(second) == ["first", "chat on first", "second", "chat on second"]
    assert (first.last.output["turns"], second.last.output["turns"]) == (1, 2)
    assert second.steps == ["loading", "replying", "saving", "loading", "replying", "saving", "done"]


def run_texts(run: OrchestrationRun) -> list[str]:
    return [m["text"] for m in run.entity_state("conversation", "s-1")["messages"]]


def test_a_turn_that_keeps_losing_fails_naming_the_session() -> None:
    states: dict[str, str] = {}
    rival = iter(range(100))

    def someone_else_always_saves_first(payload: dict) -> dict:
        other = turn(f"rival {next(rival)}", states, FakeActivities())
        assert other.last.output is not None
        return echo(payload)

    run = turn("mine", states, FakeActivities({"chat": someone_else_always_saves_first}))
    assert run.last.error and "session 's-1'" in run.last.error
    assert len([w for e in run.episodes for w in e.scheduled if w.name == "append"]) == MAX_TURN_ATTEMPTS
    assert "mine" not in run_texts(run)
