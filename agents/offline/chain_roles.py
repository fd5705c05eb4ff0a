"""Offline writers for the content roles: researcher → writer → reviewer, and the critic.

The topic travels through the chain in a form the next role can find again: research notes
quote it, drafts carry it as a `#` heading, reviews quote it. The critic and the writer share
one checklist (a concrete example, a closing next step): a first draft never meets it, a
revision written against feedback always does, so the writer/critic loop takes two rounds.
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

EXAMPLE_MARKER = "For example,"
NEXT_STEP_MARKER = "Next step:"
_REVISION_CUE = re.compile(r"\b(feedback|revise|revision|critic|critique)\b", re.IGNORECASE)
_NOTE_LINE = re.compile(r"^\s*\d+\.\s*(?:[A-Za-z ]+:\s*)?(.+)$", re.MULTILINE)
_FEEDBACK_LABEL = re.compile(
    r"^\s*(?:previous\s+|critic(?:'s)?\s+)?feedback\b[^:\n]*:?", re.IGNORECASE | re.MULTILINE
)
_DRAFT_LABEL = re.compile(r"\bdraft\s*:\s*", re.IGNORECASE)

_BACKGROUND = (
    "{topic} has moved from experiment to everyday practice, and teams now ask how to run it reliably.",
    "Interest in {topic} has grown quickly because it promises less manual work and faster results.",
    "{topic} sits where cost, reliability and speed of delivery meet, which is why it keeps coming up.",
)
_QUESTIONS = (
    "Which parts of {topic} need a person in the loop, and which can run unattended?",
    "How should {topic} be measured, so that progress is visible after the first month?",
    "What does {topic} cost at ten times today's volume, and who owns that budget?",
)
_VERDICTS = (
    "ready to publish after light edits.",
    "nearly there: one more pass on the opening, then publish.",
    "solid; publish once the suggestions above are in.",
)


def write_research(conversation: Conversation) -> str:
    """Numbered research notes on the topic, citing the knowledge base where it knows something."""
    topic = extract_topic(conversation.last_user)
    terms = key_terms(topic)
    facts = search(f"{topic} {conversation.last_user}", limit=2)
    known = " ".join(entry.text for entry in facts) or (
        f"The core ideas are {join_terms(terms)}; each deserves a sentence of explanation."
    )
    return "\n".join(
        [
            f'Research notes on "{topic}":',
            f"1. Background: {capitalise(pick(topic, _BACKGROUND).format(topic=topic))}",
            f"2. Key facts: {known}",
            f"3. Main terms to explain: {join_terms(terms)}.",
            f"4. Open question: {pick(topic + '?', _QUESTIONS).format(topic=topic)}",
        ]
    )


def write_draft(conversation: Conversation) -> str:
    """A short draft with a heading; when revising against feedback it adds an example and a next step."""
    material = conversation.all_text
    topic = extract_topic(material)
    terms = key_terms(topic)
    notes = [note.strip() for note in _NOTE_LINE.findall(material)][:2]
    opening = (
        f"{capitalise(topic)} is worth a closer look. At its heart are {join_terms(terms)}, "
        f"and getting those right decides whether it pays off."
    )
    body = " ".join(first_sentence(note, 40) for note in notes) or (
        f"Teams that adopt {topic} start small, measure what changes and grow from there."
    )
    paragraphs = [f"# {capitalise(topic)}", opening, body]
    if _REVISION_CUE.search(material):
        paragraphs.append(
            f"{EXAMPLE_MARKER} a support team applying {topic} can handle routine requests in minutes "
            f"and leave the unusual ones to a person."
        )
        paragraphs.append(f"{NEXT_STEP_MARKER} pick one workflow this week and try {topic} on it.")
    return "\n\n".join(paragraphs)


def write_review(conversation: Conversation) -> str:
    """An editor's review of the draft: strengths, improvements and a one-line verdict."""
    draft = conversation.last_user
    topic = extract_topic(draft)
    terms = key_terms(topic, 2)
    improvements = []
    if EXAMPLE_MARKER.lower() not in draft.lower():
        improvements.append(f"add a concrete example of {topic} in practice")
    if NEXT_STEP_MARKER.lower() not in draft.lower():
        improvements.append("close with a clear next step for the reader")
    improvements.append("tighten the opening sentence")
    return "\n".join(
        [
            f'Review of the draft on "{topic}" ({len(draft.split())} words):',
            f"Strengths: it introduces {topic} plainly and stays focused on {join_terms(terms)}.",
            f"Improvements: {'; '.join(improvements)}.",
            f"Verdict: {pick(draft, _VERDICTS)}",
        ]
    )


def critic_verdict(conversation: Conversation) -> dict[str, object]:
    """`{"approved", "feedback"}`: approve only a draft with an example and a closing next step."""
    draft = draft_under_review(conversation.all_text)
    topic = extract_topic(conversation.all_text)
    lowered = draft.lower()
    missing = []
    if EXAMPLE_MARKER.lower() not in lowered:
        missing.append(f"add a concrete example of {topic} in practice (start it with '{EXAMPLE_MARKER}')")
    if NEXT_STEP_MARKER.lower() not in lowered:
        missing.append(f"end with a clear next step for the reader (a line starting '{NEXT_STEP_MARKER}')")
    if missing:
        return {"approved": False, "feedback": f"Revise the draft on {topic}: {'; and '.join(missing)}."}
    return {
        "approved": True,
        "feedback": f"Approved: the draft on {topic} has a concrete example and ends with a clear next step.",
    }


def draft_under_review(text: str) -> str:
    """The draft inside a critic's input: from a `Draft:` label or `#` heading up to any feedback section."""
    label = _DRAFT_LABEL.search(text)
    heading = re.search(r"^\s*#", text, re.MULTILINE)
    start = label.end() if label else (heading.start() if heading else 0)
    feedback = _FEEDBACK_LABEL.search(text, start + 1)
    return text[start : feedback.start() if feedback else len(text)] or clip_words(text, 400)
