"""The offline model's tool use: which tools a request needs, and the answer once results are in.

The request is split into clauses ("What is 17 * 23, and open a ticket: the VPN is broken" is
two), and each clause asks for at most one tool: arithmetic → `calculator`, a problem report →
`create_ticket`, a subject the knowledge base knows → `lookup_knowledge`, and any other tool (a
remote MCP tool, one you added) when the clause names it (`named_tools.py`). Only tools the agent
was given are asked for. Once results follow the last user turn, the model answers from them.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

from agents.offline.conversation import Conversation, ToolOutcome
from agents.offline.named_tools import named_request
from agents.offline.text import capitalise, clip_words, first_sentence
from agents.remote_tools.calls import is_remote_tool
from agents.tools.calculator import CalculationError, evaluate
from agents.tools.knowledge import search

_CLAUSE_SPLIT = re.compile(r"[;,?!]+|\.(?:\s+|$)|\s+(?:and|also|then|plus)\s+(?=[a-z])", re.IGNORECASE)
_NUMBER = r"\(*\s*-?\d+(?:\.\d+)?\s*\)*"
_EXPRESSION = re.compile(rf"{_NUMBER}(?:\s*(?:\*\*|//|[-+*/%^×÷])\s*{_NUMBER})+")
_WORD_OPERATORS = (
    (re.compile(r"\bmultiplied by\b|\btimes\b", re.IGNORECASE), "*"),
    (re.compile(r"\bdivided by\b|\bover\b", re.IGNORECASE), "/"),
    (re.compile(r"\bplus\b", re.IGNORECASE), "+"),
    (re.compile(r"\bminus\b", re.IGNORECASE), "-"),
)
_PROBLEM = re.compile(
    r"\b(tickets?|broken|outage|is down|are down|went down|not working|doesn't work|does not work|"
    r"crash(?:es|ed)?|bug|fails?|failing|stopped working)\b",
    re.IGNORECASE,
)
_URGENT = re.compile(
    r"\b(outage|is down|are down|went down|urgent|critical|everyone|nobody can)\b", re.IGNORECASE
)
_TICKET_REQUEST = re.compile(
    r"^.*?\b(?:open|create|file|raise|log|submit)\s+(?:a\s+|an\s+|the\s+)?(?:support\s+)?ticket\b\s*"
    r"(?:for|about|because|saying|that)?\s*:?\s*",
    re.IGNORECASE,
)
# The tools `_request_for` plans from what a clause asks; every other tool is called when named.
PLANNED_TOOLS = frozenset({"calculator", "create_ticket", "lookup_knowledge"})
_POLITE = re.compile(r"^(?:please|can you|could you|kindly|also)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class ToolCall:
    """One call the model asks for."""

    call_id: str
    name: str
    arguments: dict[str, Any]


def plan_tool_calls(conversation: Conversation) -> list[ToolCall]:
    """The calls the last user turn needs; none once its results are in or when nothing fits."""
    if conversation.tool_outcomes or not conversation.available_tools:
        return []
    planned: list[tuple[str, dict[str, Any]]] = []
    unplanned = {name: s for name, s in conversation.tool_schemas.items() if name not in PLANNED_TOOLS}
    for clause in split_clauses(conversation.last_user):
        request = named_request(clause, unplanned) or _request_for(clause, conversation.available_tools)
        if request is not None and request not in planned:
            planned.append(request)
    first = conversation.tool_calls_so_far + 1
    return [ToolCall(f"call_{first + index}", name, args) for index, (name, args) in enumerate(planned)]


def split_clauses(text: str) -> list[str]:
    """The separate asks in a request."""
    return [clause.strip() for clause in _CLAUSE_SPLIT.split(text) if clause and clause.strip()]


def _request_for(clause: str, tools: tuple[str, ...]) -> tuple[str, dict[str, Any]] | None:
    expression = find_expression(clause)
    if "calculator" in tools and expression:
        return "calculator", {"expression": expression}
    if "create_ticket" in tools and _PROBLEM.search(clause):
        return "create_ticket", ticket_arguments(clause)
    if "lookup_knowledge" in tools and search(clause, limit=1):
        return "lookup_knowledge", {"query": _POLITE.sub("", clause)}
    return None


def find_expression(clause: str) -> str | None:
    """The arithmetic in a clause ("17 * 23", "12 plus 5" → "12 + 5"), if it evaluates."""
    text = clause
    for pattern, symbol in _WORD_OPERATORS:
        text = pattern.sub(f" {symbol} ", text)
    for match in _EXPRESSION.finditer(text):
        candidate = _balance(" ".join(match.group(0).split()))
        try:
            evaluate(candidate)
        except CalculationError:
            continue
        return candidate
    return None


def _balance(expression: str) -> str:
    """Drop parentheses the regex caught on one side only ("(2 + 3" → "2 + 3")."""
    while expression.count("(") > expression.count(")") and expression.startswith("("):
        expression = expression[1:].lstrip()
    while expression.count(")") > expression.count("(") and expression.endswith(")"):
        expression = expression[:-1].rstrip()
    return expression


def ticket_arguments(clause: str) -> dict[str, Any]:
    """A ticket from a problem report: the problem as title, high priority for outages."""
    problem = _TICKET_REQUEST.sub("", _POLITE.sub("", clause)).strip(" :.-")
    problem = re.sub(r"^(?:the|my|our)\s+", "", problem, flags=re.IGNORECASE)
    title = capitalise(clip_words(problem, 12)) if len(problem) >= 3 else "Support request"
    return {
        "title": title[:120],
        "description": clause.strip()[:2000],
        "priority": "high" if _URGENT.search(clause) else "normal",
    }


def write_tool_answer(conversation: Conversation) -> str:
    """The final answer: one line per tool result, or what the agent can do when it used none."""
    if not conversation.tool_outcomes:
        request = clip_words(first_sentence(conversation.last_user, 30), 30)
        return (
            f'I did not need a tool for "{request}". I can calculate, look things up in the knowledge '
            "base and open support tickets: ask me for any of those."
        )
    lines = ["Here is what I found:"]
    lines += [f"- {describe_outcome(outcome)}" for outcome in conversation.tool_outcomes]
    return "\n".join(lines)


def describe_outcome(outcome: ToolOutcome) -> str:
    """One tool result in words."""
    result = outcome.result
    # The one failure signal of every tool, ours and remote (docs/contracts.md, `run_tool`): an object
    # with `error` at its top. A remote success that has such a key arrives wrapped as `{"result": …}`.
    if isinstance(result, dict) and "error" in result:
        return f"The {outcome.name or 'tool'} call failed: {result['error']}"
    if is_remote_tool(outcome.name) and isinstance(result, dict) and list(result) == ["result"]:
        result = result["result"]
    if outcome.name == "calculator" and isinstance(result, dict):
        return f"{result.get('expression')} = {result.get('value')}"
    if outcome.name == "lookup_knowledge" and isinstance(result, dict):
        matches = result.get("matches") or []
        if not matches:
            return f'The knowledge base has nothing on "{result.get("query")}".'
        return f"{matches[0]['title']}: {matches[0]['text']}"
    if outcome.name == "create_ticket" and isinstance(result, dict):
        return (
            f'I opened ticket {result.get("ticket_id")} "{result.get("title")}" '
            f"(priority {result.get('priority')}, status {result.get('status')})."
        )
    shown = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False, default=str)
    return f"{outcome.name or 'The tool'} returned: {clip_words(shown, 40)}"
