"""`lookup_knowledge`: keyword search over the small knowledge base in `knowledge.json`.

The same search backs the offline model's decision to ask for this tool, so a question it
sends here always finds something.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from agents.tools.base import ToolContext, ToolSpec

KNOWLEDGE_FILE = Path(__file__).with_name("knowledge.json")
_WORD = re.compile(r"[a-z0-9_]+")


@dataclass(frozen=True)
class KnowledgeEntry:
    """One article of the knowledge base."""

    id: str
    title: str
    keywords: tuple[str, ...]
    text: str


class LookupArguments(BaseModel):
    """Arguments of `lookup_knowledge`."""

    query: str = Field(min_length=2, max_length=500, description="what to look up, in a few words")
    limit: int = Field(default=3, ge=1, le=10, description="how many articles to return at most")


@cache
def entries() -> tuple[KnowledgeEntry, ...]:
    """The knowledge base, read once per process."""
    raw = json.loads(KNOWLEDGE_FILE.read_text(encoding="utf-8"))
    return tuple(
        KnowledgeEntry(item["id"], item["title"], tuple(item["keywords"]), item["text"]) for item in raw
    )


def search(query: str, limit: int = 3) -> list[KnowledgeEntry]:
    """Articles whose keywords occur in `query`, best first (more and longer keyword hits win)."""
    words = " ".join(_WORD.findall(query.lower()))
    padded = f" {words} "
    scored = []
    for position, entry in enumerate(entries()):
        hits = [keyword for keyword in entry.keywords if f" {keyword} " in padded]
        if hits:
            scored.append((-len(hits), -sum(len(hit) for hit in hits), position, entry))
    return [entry for *_, entry in sorted(scored)[:limit]]


def lookup(arguments: LookupArguments, context: ToolContext) -> dict[str, Any]:
    """Run `lookup_knowledge`: `{"query", "matches": [{"id", "title", "text"}]}` (possibly empty)."""
    found = search(arguments.query, arguments.limit)
    return {
        "query": arguments.query,
        "matches": [{"id": entry.id, "title": entry.title, "text": entry.text} for entry in found],
    }


SPEC = ToolSpec(
    name="lookup_knowledge",
    description="Search the knowledge base (durable workflows, hosting, identity, billing, support).",
    arguments=LookupArguments,
    run=lookup,
)
