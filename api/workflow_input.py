"""The base of every workflow input, and the non-empty text field most of them use.

Kept apart from api/catalog.py so graph modules (graphs/) can build on it without importing the
catalog that discovers them.
"""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError


def _not_blank(text: str) -> str:
    """Refuse text of spaces only: a blank question or message would still cost a model call."""
    if not text.strip():
        raise PydanticCustomError("blank_text", "must not be blank")
    return text


# Non-empty text with something besides whitespace; the schema says so with a pattern for clients.
Text = Annotated[str, Field(min_length=1, json_schema_extra={"pattern": r"\S"}), AfterValidator(_not_blank)]


class WorkflowInput(BaseModel):
    """Base of every workflow input: strict types, unknown fields refused (typos never pass silently)."""

    model_config = ConfigDict(extra="forbid", strict=True)
