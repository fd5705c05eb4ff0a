"""readme_counter and its readme_word_count tool, offline (the copy's test_readme_word_count.py)."""

import asyncio
from typing import Any

from activities.run_agent import run_agent
from activities.run_tool import run_tool


def test_the_new_agent_calls_the_new_tool_and_answers_from_its_result() -> None:
    messages: list[dict[str, Any]] = [
        {"role": "user", "text": "use readme word count on tides follow the moon"}
    ]
    first = asyncio.run(run_agent({"agent": "readme_counter", "messages": messages}))
    assert first["tool_calls"] == [
        {"call_id": "call_1", "name": "readme_word_count", "arguments": {"text": "tides follow the moon"}}
    ]

    done = run_tool({**first["tool_calls"][0], "tool": "readme_word_count", "idempotency_key": "r:call_1"})
    assert done["result"] == {"words": 4}

    messages.append({"role": "assistant", "text": "", "tool_calls": first["tool_calls"]})
    messages.append(
        {"role": "tool", "call_id": "call_1", "name": "readme_word_count", "result": done["result"]}
    )
    final = asyncio.run(run_agent({"agent": "readme_counter", "messages": messages}))
    assert final["tool_calls"] == [] and '"words": 4' in final["text"]
