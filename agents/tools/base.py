"""What a tool is: a name, a description, a pydantic arguments model and a function.

The arguments model is the single source of the tool's JSON schema (the model sees it through a
declaration-only `FunctionTool`) and of its validation (in `run_tool`), so the two never drift.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class ToolContext:
    """Who is calling: side-effect tools key their outbox rows by `idempotency_key`."""

    call_id: str
    idempotency_key: str | None = None


@dataclass(frozen=True)
class ToolSpec:
    """One tool. `run` gets validated arguments and returns JSON the model can read."""

    name: str
    description: str
    arguments: type[BaseModel]
    run: Callable[[Any, ToolContext], Any]

    def invoke(self, arguments: Any, context: ToolContext) -> Any:
        """Validate and run; arguments the tool rejects come back as `{"error": ...}` for the model."""
        try:
            parsed = self.arguments.model_validate(arguments if arguments is not None else {})
        except ValidationError as error:
            return {"error": f"invalid arguments for {self.name}: {_explain(error)}"}
        return self.run(parsed, context)


def _explain(error: ValidationError) -> str:
    parts = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"]) or "arguments"
        parts.append(f"{field}: {problem['msg']}")
    return "; ".join(parts)
