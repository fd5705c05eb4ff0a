"""Offline writers for the conversational roles: the single assistant, chat and the summariser.

Chat replies refer back to what they were given (earlier turns, a summary of older ones, the
user's name), and the summariser keeps the points of each turn in fewer words, so a session's
reply visibly depends on its durable conversation state.
"""

import re

from agents.offline.conversation import Conversation, Turn
from agents.offline.text import as_sentence, clip_words, extract_topic, first_sentence, join_terms, key_terms
from agents.tools.knowledge import search

_NAME = re.compile(r"\b(?i:my name is|i am|i'm|call me|is called)\s+([A-Z][a-z]+)\b")
_PREVIOUS_SUMMARY = re.compile(r"^\s*previous summary\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_SUMMARY_LABEL = re.compile(r"^\s*summary[^:.\n]*:\s*", re.IGNORECASE)
MAX_SUMMARY_POINTS = 6
_TRANSCRIPT_LINE = re.compile(r"^\s*(user|assistant|system)\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)


def write_answer(conversation: Conversation) -> str:
    """The single assistant: a short answer, from the knowledge base when it knows the subject."""
    question = conversation.last_user
    articles = search(question, limit=2)
    if articles:
        facts = " ".join(article.text for article in articles)
        return f"In short: {facts} (Sources: {join_terms([a.title for a in articles])}.)"
    topic = extract_topic(question)
    terms = key_terms(question, 3)
    return (
        f"In short: {topic} comes down to {join_terms(terms)}. Start with {terms[0] if terms else topic}, "
        f"check the result against what you expected, and adjust one thing at a time."
    )


def write_chat_reply(conversation: Conversation) -> str:
    """A chat turn that acknowledges the new message and refers back to earlier turns and any summary."""
    users = conversation.user_turns
    latest = users[-1] if users else ""
    name = find_name(conversation.system_notes + users)
    greeting = f"Hi {name}!" if name else "Hi!"
    parts = [f'{greeting} You wrote: "{clip_words(latest, 25)}"']
    if conversation.system_notes:
        summary = _SUMMARY_LABEL.sub("", conversation.system_notes[-1])
        parts.append(f"From our earlier conversation: {as_sentence(clip_words(summary, 30))}")
    if len(users) > 1:
        parts.append(
            f'Earlier you mentioned "{clip_words(users[0], 15)}", '
            f"and this is message {len(users)} from you in this conversation."
        )
    terms = [term for term in key_terms(latest, 4) if term != (name or "").lower()][:3]
    parts.append(f"Happy to help with {join_terms(terms)}: tell me what matters most to you.")
    return " ".join(parts)


def write_conversation_summary(conversation: Conversation) -> str:
    """A condensed account of the turns given: who said what, in fewer words, keeping names."""
    turns = transcript_turns(conversation)
    if not turns:
        return "Summary: nothing has been said yet."
    earlier = conversation.system_notes + _PREVIOUS_SUMMARY.findall(conversation.all_text)
    name = find_name(earlier + [turn.text for turn in turns])
    user_points = [clip_words(turn.text, 15) for turn in turns if turn.role == "user"]
    if len(user_points) > MAX_SUMMARY_POINTS:
        user_points = [*user_points[:2], "…", *user_points[2 - MAX_SUMMARY_POINTS :]]
    assistant_points = [first_sentence(turn.text, 10) for turn in turns if turn.role == "assistant"]
    parts = []
    if earlier:  # an earlier summary: keep its gist so nothing falls off the end
        parts.append(f"Before that: {as_sentence(clip_words(earlier[-1], 30))}")
    if name:
        parts.append(f"The user is called {name}.")
    parts.append(f"The user said: {as_sentence(' / '.join(user_points) or 'nothing')}")
    if assistant_points:
        parts.append(f"The assistant replied: {as_sentence(' / '.join(assistant_points[-2:]))}")
    parts.append(f"({len(turns)} messages summarised.)")
    return " ".join(parts)


def transcript_turns(conversation: Conversation) -> list[Turn]:
    """The turns to summarise: the messages themselves, or `user: ...` lines inside a single prompt."""
    turns = [turn for turn in conversation.turns if turn.role in ("user", "assistant")]
    if len(turns) == 1 and turns[0].role == "user":
        lines = _TRANSCRIPT_LINE.findall(turns[0].text)
        if lines:
            return [Turn(role.lower(), text.strip()) for role, text in lines]
    return turns


def find_name(texts: list[str]) -> str | None:
    """The name the user gave ("my name is Sam", "I'm Sam"), from the earliest mention."""
    for text in texts:
        match = _NAME.search(text)
        if match:
            return match.group(1)
    return None
