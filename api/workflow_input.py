"""The base of every workflow input, and the non-empty text field most of them use.

Kept apart from api/catalog.py so graph modules (graphs/) can build on it without importing the
catalog that discovers them.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Text = Annotated[str, Field(min_length=1)]


class WorkflowInput(BaseModel):
    """Base of every workflow input: strict types, unknown fields refused (typos never pass silently)."""

    model_config = ConfigDict(extra="forbid", strict=True)
