"""Offline writers for the fan-out panel (three analysts + aggregator) and the routing desk.

Each analyst writes from one angle and labels its view, so the aggregator can find every
specialist's opinion in its input (by agent name or by that label) and cite each one.
"""

import re

from agents.offline.conversation import Conversation
from agents.offline.text import (
    capitalise,
    clip_words,
    extract_topic,
    first_sentence,
    join_terms,
    key_terms,
    pick,
)
from agents.tools.knowledge import search

ANALYST_LABELS = {
    "market_analyst": "Market view",
    "tech_analyst": "Technology view",
    "risk_analyst": "Risk view",
}
_ANGLES = {
    "market_analyst": (
        "Demand for {topic} is real: buyers want faster answers at a lower cost per request.",
        "Competitors are already piloting {topic}, so waiting a year risks falling behind on service.",
    ),
    "tech_analyst": (
        "{topic} is technically within reach: the hard part is state, retries and tracing, not the model.",
        "Built on durable workflows, {topic} keeps every step recorded, so failures resume, not restart.",
    ),
    "risk_analyst": (
        "The main risks of {topic} are wrong answers at scale, data leaving its boundary, unclear owners.",
        "{topic} needs guardrails: human approval for costly actions, audit trails and a tested fallback.",
    ),
}
_RECOMMENDATION = {
    "market_analyst": "start with the highest-volume use case and publish the savings",
    "tech_analyst": "pilot on one workflow with full tracing before widening the scope",
    "risk_analyst": "require sign-off for irreversible actions and review incidents monthly",
}
ROUTE_KEYWORDS = {
    "billing": (
        "invoice",
        "charge",
        "charged",
        "refund",
        "payment",
        "pay",
        "bill",
        "billing",
        "subscription",
        "price",
        "pricing",
        "credit card",
        "receipt",
        "overcharged",
    ),
    "technical": (
        "error",
        "bug",
        "crash",
        "broken",
        "outage",
        "down",
        "vpn",
        "login",
        "log in",
        "password",
        "install",
        "api",
        "timeout",
        "server",
        "not working",
        "fails",
        "failing",
        "slow",
    ),
}


def write_analysis(agent: str, conversation: Conversation) -> str:
    """One analyst's labelled view of the topic, ending with a recommendation."""
    topic = extract_topic(conversation.last_user)
    angle = pick(f"{agent}:{topic}", _ANGLES[agent]).format(topic=topic)
    terms = key_terms(topic, 3)
    return (
        f'{ANALYST_LABELS[agent]} on "{topic}": {capitalise(angle)} '
        f"What matters most here is {join_terms(terms)}. "
        f"Recommendation: {_RECOMMENDATION[agent]}."
    )


def write_summary_of_specialists(conversation: Conversation) -> str:
    """The aggregator: a summary that cites every specialist found in its input by name."""
    material = conversation.all_text
    topic = extract_topic(material)
    opinions = find_opinions(material)
    if not opinions:
        opening = first_sentence(material, 40)
        return f'Summary on "{topic}": {opening} No specialist opinions were given to combine.'
    lines = [f'Summary on "{topic}" from {len(opinions)} specialists:']
    lines += [f"- {name} says: {first_sentence(point, 35)}" for name, point in opinions]
    names = [name for name, _ in opinions]
    lines.append(
        f"Agreement: {join_terms(names)} all treat {topic} as worth pursuing with care. "
        "Difference: they weigh speed against safeguards differently."
    )
    lines.append(f"Recommendation: run a small pilot of {topic} that satisfies each of these views.")
    return "\n".join(lines)


def find_opinions(text: str) -> list[tuple[str, str]]:
    """`(specialist, opinion)` pairs found by agent name (`market_analyst`) or view label."""
    markers: list[tuple[int, int, str]] = []
    for name, label in ANALYST_LABELS.items():
        for pattern in (re.escape(name), re.escape(label) + r"\b"):
            for match in re.finditer(pattern, text, re.IGNORECASE):
                markers.append((match.start(), match.end(), name))
    for match in re.finditer(r"\b([a-z]+_(?:analyst|specialist))\b", text):
        if match.group(1) not in ANALYST_LABELS:
            markers.append((match.start(), match.end(), match.group(1)))
    markers.sort()
    opinions: dict[str, str] = {}
    for index, (_, end, name) in enumerate(markers):
        stop = markers[index + 1][0] if index + 1 < len(markers) else len(text)
        passage = _strip_label(text[end:stop])
        if passage and name not in opinions:
            opinions[name] = passage
    return list(opinions.items())


def _strip_label(passage: str) -> str:
    """Drop the glue between a name and its opinion: quotes, colons, `on "topic":`."""
    cleaned = re.sub(r'^[\s"\':,=}{\]\[\\-]*(?:on\s+\\?"[^"\\]*\\?"\s*:)?[\s"\':]*', "", passage)
    return cleaned.replace('\\"', '"').strip().rstrip('",}\\')


def triage_decision(conversation: Conversation) -> dict[str, str]:
    """`{"route", "reason"}` chosen by keywords: billing, technical, else general."""
    question = conversation.last_user
    lowered = f" {' '.join(re.findall(r'[a-z0-9]+', question.lower()))} "
    for route, keywords in ROUTE_KEYWORDS.items():
        hits = [word for word in keywords if f" {word} " in lowered]
        if hits:
            quoted = join_terms([f"'{hit}'" for hit in hits[:3]])
            return {"route": route, "reason": f"The question mentions {quoted}, which is a {route} matter."}
    return {"route": "general", "reason": "The question is not about billing or a technical problem."}


def write_specialist_answer(agent: str, conversation: Conversation) -> str:
    """A billing / technical / general specialist's answer, grounded in the knowledge base."""
    question = conversation.last_user
    articles = search(question, limit=1)
    known = articles[0].text if articles else ""
    opening = f'Thanks for your question about "{clip_words(first_sentence(question, 25), 25)}".'
    if agent == "billing_specialist":
        middle = known or "I have checked your account and the charges on your latest invoices."
        closing = "I have flagged this with the billing team; you will get a confirmation by email."
    elif agent == "technical_specialist":
        middle = known or "Please restart the app, make sure it is up to date and try again."
        closing = "If the problem continues, reply with the exact error message and we will open a ticket."
    else:
        middle = known or f"Here is what I can tell you about {extract_topic(question)}."
        closing = "Let me know if you need anything else."
    return f"{opening} {middle} {closing}"
