"""Small, deterministic text helpers the offline role writers share.

Nothing here uses randomness or Python's salted `hash()`: a phrase is chosen by a SHA-256 of
its seed, so the same input gives the same words in every process, on every machine.
"""

import hashlib
import re
from collections.abc import Sequence

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'_-]*")
_TOPIC_LABEL = re.compile(r"\b(?:topic|subject)\s*[:=]\s*(.+)", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“]([^\"”\n]{3,100})[\"”]")
_HEADING = re.compile(r"^\s*#{1,6}\s+(.+)$", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LEAD_INS = re.compile(
    r"^(?:please\s+)?(?:(?:write|draft|research|review|summari[sz]e|analy[sz]e|explain|describe)\b"
    r"(?:\s+(?:a|an|the|some))?(?:\s+(?:draft|notes|post|article|summary|analysis))?\s*(?:about|on|of|for)?\s+)",
    re.IGNORECASE,
)
_STOPWORD_TEXT = """a about above after again all also am an and any are as at be because been before being
    below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just me more most my no nor not now
    of off on once only or other our ours out over own please same she should so some such than that the
    their them then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours topic draft write notes research review
    tell give make let get need want like know think really thing things hello hey thanks thank name"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def words(text: str) -> list[str]:
    """The words of `text` (letters, digits, inner apostrophes and hyphens)."""
    return _WORD.findall(text)


def word_count(text: str) -> int:
    """How many words `text` has: the offline model's deterministic token count."""
    return len(words(text))


def key_terms(text: str, limit: int = 4) -> list[str]:
    """The first distinct non-stopwords of `text`, lower-cased: what the text is about."""
    seen: list[str] = []
    for word in words(text):
        lowered = word.lower()
        if len(lowered) > 2 and lowered not in STOPWORDS and lowered not in seen:
            seen.append(lowered)
            if len(seen) == limit:
                break
    return seen


def stable_index(seed: str, size: int) -> int:
    """A position in `range(size)` chosen by the SHA-256 of `seed`."""
    return int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:8], "big") % size


def pick(seed: str, options: Sequence[str]) -> str:
    """One of `options`, the same one for the same seed."""
    return options[stable_index(seed, len(options))]


def extract_topic(text: str) -> str:
    """What a request is about: a `Topic:` label, else a quoted phrase, else a heading, else line one."""
    for pattern in (_TOPIC_LABEL, _QUOTED, _HEADING):
        match = pattern.search(text)
        if match:
            return _tidy_topic(match.group(1))
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return _tidy_topic(_LEAD_INS.sub("", first_sentence(first_line)))


def _tidy_topic(raw: str) -> str:
    topic = " ".join(raw.strip().strip("\"“”'").split()[:12]).rstrip(".:;,!?")
    return topic or "the request"


def first_sentence(text: str, max_words: int = 30) -> str:
    """The first sentence of `text`, at most `max_words` words (an ellipsis marks a cut)."""
    flat = " ".join(text.split())
    sentence = _SENTENCE_END.split(flat, maxsplit=1)[0] if flat else ""
    return clip_words(sentence, max_words)


def clip_words(text: str, max_words: int) -> str:
    """`text` cut to `max_words` words, with an ellipsis when something was cut."""
    parts = text.split()
    return " ".join(parts) if len(parts) <= max_words else " ".join(parts[:max_words]) + "…"


def as_sentence(text: str) -> str:
    """`text` ending in sentence punctuation, so joined parts read as separate sentences."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def capitalise(text: str) -> str:
    """`text` with its first letter upper-cased and the rest untouched (keeps "VPN", "Azure")."""
    return text[:1].upper() + text[1:]


def join_terms(terms: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if not terms:
        return "the essentials"
    if len(terms) == 1:
        return terms[0]
    return ", ".join(terms[:-1]) + " and " + terms[-1]
