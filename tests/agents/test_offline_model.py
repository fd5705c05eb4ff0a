"""The offline model: deterministic, role-meaningful text, structured output, delay, streaming."""

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Literal

import pytest
from agent_framework import Agent, Message
from pydantic import BaseModel

from activities.run_agent import run_agent
from agents.catalog import CriticVerdict, TriageDecision, get_agent_spec
from agents.offline.client import OfflineChatClient, split_words

ROOT = Path(__file__).resolve().parents[2]
TOPIC = "durable agents on Azure Functions"


def ask(
    agent: str, prompt: str | None = None, messages: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    payload: dict[str, Any] = {"agent": agent}
    payload.update({"prompt": prompt} if messages is None else {"messages": messages})
    return asyncio.run(run_agent(payload))


def test_same_input_gives_the_same_output_even_in_another_process() -> None:
    payload = {"agent": "writer", "prompt": f"Topic: {TOPIC}"}
    first, second = ask(**payload), ask(**payload)
    script = (
        "import asyncio, json; from activities.run_agent import run_agent; "
        f"print(json.dumps(asyncio.run(run_agent({payload!r}))))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    other = json.loads(
        subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, check=True, text=True
        ).stdout
    )
    for result in (second, other):
        assert (result["text"], result["usage"], result["value"]) == (
            first["text"],
            first["usage"],
            first["value"],
        )


def test_the_topic_is_carried_through_researcher_writer_reviewer() -> None:
    research = ask("researcher", f"Research this topic: {TOPIC}")["text"]
    draft = ask("writer", f"Write a draft from these notes.\n\n{research}")["text"]
    review = ask("reviewer", draft)["text"]
    for text in (research, draft, review):
        assert TOPIC.lower() in text.lower()
    assert research.startswith(f'Research notes on "{TOPIC}"')
    assert draft.startswith(f"# {TOPIC[0].upper()}{TOPIC[1:]}")
    assert "Verdict:" in review


def test_the_aggregator_cites_every_specialist() -> None:
    names = ["market_analyst", "tech_analyst", "risk_analyst"]
    opinions = {name: ask(name, f"Topic: {TOPIC}")["text"] for name in names}
    assert len(set(opinions.values())) == 3  # three different angles
    summary = ask("aggregator", f"Topic: {TOPIC}\n\n" + json.dumps(opinions, indent=1))["text"]
    for name, opinion in opinions.items():
        point = opinion.split(": ", 1)[1].split(". ")[0]
        assert f"{name} says: {point}" in summary


def test_chat_refers_to_earlier_turns_and_summary() -> None:
    turns = [
        {"role": "user", "text": "Hello! My name is Sam and I am planning a trip to Lisbon."},
        {"role": "assistant", "text": "Hi Sam! Lisbon is lovely in spring."},
        {"role": "user", "text": "Which neighbourhood should I stay in?"},
    ]
    reply = ask("chat", messages=turns)["text"]
    assert "Sam" in reply
    assert "planning a trip to Lisbon" in reply
    with_summary = [
        {"role": "system", "text": "Summary: the user is called Ana and loves museums."},
        turns[-1],
    ]
    reply = ask("chat", messages=with_summary)["text"]
    assert "Ana" in reply and "loves museums" in reply


def test_the_summariser_condenses_the_turns_it_was_given() -> None:
    turns = []
    for index in range(6):
        turns.append(
            {"role": "user", "text": f"Question {index} about the Lisbon trip budget " + "and details " * 20}
        )
        turns.append({"role": "assistant", "text": f"Answer {index}: " + "a long explanation " * 20})
    turns.insert(0, {"role": "user", "text": "My name is Sam."})
    summary = ask("summariser", messages=turns)["text"]
    assert len(summary.split()) < sum(len(turn["text"].split()) for turn in turns) / 3
    assert "Sam" in summary and "Lisbon trip budget" in summary and "(13 messages summarised.)" in summary


@pytest.mark.parametrize(
    ("question", "route"),
    [
        ("I was charged twice on my last invoice", "billing"),
        ("The VPN is broken since this morning", "technical"),
        ("What are your opening hours?", "general"),
    ],
)
def test_triage_routes_by_keywords_with_a_valid_value(question: str, route: str) -> None:
    result = ask("triage", question)
    decision = TriageDecision.model_validate(result["value"])
    assert decision.route == route and decision.reason
    assert json.loads(result["text"]) == result["value"]


def test_the_writer_critic_loop_takes_two_rounds() -> None:
    draft = ask("writer", f"Topic: {TOPIC}")["text"]
    feedback: list[str] = []
    while len(feedback) < 3:
        verdict = CriticVerdict.model_validate(ask("critic", f"Topic: {TOPIC}\n\nDraft:\n{draft}")["value"])
        feedback.append(verdict.feedback)
        if verdict.approved:
            break
        draft = ask("writer", f"Topic: {TOPIC}\n\nPrevious draft:\n{draft}\n\nFeedback: {verdict.feedback}")[
            "text"
        ]
    assert (verdict.approved, len(feedback)) == (True, 2)
    assert "example" in feedback[0] and "next step" in feedback[0]
    assert "For example," in draft and "Next step:" in draft


class Itinerary(BaseModel):
    city: str
    days: int
    season: Literal["spring", "summer"]
    stops: list[str]
    confirmed: bool


def test_any_other_schema_gets_valid_json() -> None:
    agent = Agent(
        OfflineChatClient(), "Plan trips.", name="planner", default_options={"response_format": Itinerary}
    )
    response = asyncio.run(agent.run("Plan three days in Lisbon"))
    assert isinstance(response.value, Itinerary)
    assert response.value.season == "spring"


def test_unknown_instructions_get_the_assistant_role() -> None:
    agent = Agent(OfflineChatClient(), "You are a pirate.", name="pirate")
    text = asyncio.run(agent.run("What is a durable orchestration?")).text
    assert "generator function" in text  # the assistant answers from the knowledge base


def test_the_delay_setting_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFFLINE_MODEL_DELAY_MS", "150")
    started = time.perf_counter()
    result = ask("assistant", "hello")
    assert time.perf_counter() - started >= 0.15
    assert result["elapsed_ms"] >= 150


def test_words_split_and_join_back_exactly() -> None:
    text = "  Two  spaces,\nnew line\ttab "
    assert split_words(text) == ["  ", "Two  ", "spaces,\n", "new ", "line\t", "tab "]
    assert "".join(split_words(text)) == text


def test_streaming_returns_the_same_reply() -> None:
    agent = Agent(OfflineChatClient(), get_agent_spec("researcher").instructions, name="researcher")

    async def both() -> tuple[str, str]:
        whole = await agent.run(f"Topic: {TOPIC}")
        streamed = await agent.run(f"Topic: {TOPIC}", stream=True).get_final_response()
        return whole.text, streamed.text

    whole, streamed = asyncio.run(both())
    assert whole == streamed and TOPIC in whole


def test_a_streams_final_response_is_the_reply_a_plain_call_returns() -> None:
    client = OfflineChatClient(delay_ms=20)
    messages = [Message("user", [f"Topic: {TOPIC}"])]
    options = {"instructions": get_agent_spec("writer").instructions}

    async def both() -> tuple[Any, Any, str]:
        whole = await client.get_response(messages, options=options)
        stream = client.get_response(messages, stream=True, options=options)
        words = "".join([update.text async for update in stream])
        return whole, await stream.get_final_response(), words

    whole, streamed, words = asyncio.run(both())
    assert len(split_words(words)) > 20 and words == whole.text == streamed.text
    assert streamed.usage_details == whole.usage_details and streamed.usage_details
    assert (streamed.response_id, streamed.finish_reason) == (whole.response_id, whole.finish_reason)


def test_with_a_delay_the_words_arrive_spread_over_it_and_add_up_to_the_reply() -> None:
    agent = Agent(OfflineChatClient(delay_ms=60), get_agent_spec("researcher").instructions, name="r")

    async def pieces() -> tuple[list[str], str]:
        stream = agent.run(f"Topic: {TOPIC}", stream=True)
        texts = [update.text async for update in stream]
        return texts, (await stream.get_final_response()).text

    texts, final = asyncio.run(pieces())
    assert len([text for text in texts if text]) >= 2  # not one block at the end
    assert "".join(texts) == final and all(split_words(text) for text in texts if text)


def test_usage_counts_words() -> None:
    result = ask("assistant", "What is a durable orchestration?")
    assert result["usage"]["output_tokens"] == len(result["text"].split())
    assert result["usage"]["input_tokens"] > len(["What", "is", "a", "durable", "orchestration?"])


def test_a_new_summary_keeps_the_gist_of_the_previous_one() -> None:
    messages = [
        {
            "role": "system",
            "text": "Summary of 4 messages. The user is called Sam. The user said: trip to Lisbon",
        },
        {"role": "user", "text": "Now I also want to see Porto."},
        {"role": "assistant", "text": "Porto is a great addition."},
    ]
    summary = ask("summariser", messages=messages)["text"]
    assert "Sam" in summary and "Lisbon" in summary and "Porto" in summary
