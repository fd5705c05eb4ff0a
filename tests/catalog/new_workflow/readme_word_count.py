"""readme_word_count: a tool added as README's "Add your own → Tool" says (in the app copy's
agents/tools/), given to the `readme_counter` agent."""

from typing import Any

from pydantic import BaseModel, Field

from agents.tools.base import ToolContext, ToolSpec


class WordCountArguments(BaseModel):
    """Arguments of `readme_word_count`."""

    text: str = Field(min_length=1, description="the text whose words are counted")


def count_words(arguments: WordCountArguments, context: ToolContext) -> dict[str, Any]:
    """The number of words in the text."""
    return {"words": len(arguments.text.split())}


SPEC = ToolSpec(
    name="readme_word_count",
    description="Count the words of a text.",
    arguments=WordCountArguments,
    run=count_words,
)
