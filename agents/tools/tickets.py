"""`create_ticket`: open a support ticket, exactly once per idempotency key.

The ticket is the side effect, so it is written through the outbox: a retried or re-delivered
call with the same `<instance id>:<call id>` gets the original ticket back.
"""

from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.tools import outbox
from agents.tools.base import ToolContext, ToolSpec


class TicketArguments(BaseModel):
    """Arguments of `create_ticket`."""

    title: str = Field(min_length=3, max_length=120, description="a short summary of the problem")
    description: str = Field(default="", max_length=2000, description="details: what happened, since when")
    priority: Literal["low", "normal", "high"] = Field(default="normal", description="high for outages")


def create_ticket(arguments: TicketArguments, context: ToolContext) -> dict[str, Any]:
    """Run `create_ticket`: the ticket (`ticket_id`, `title`, `priority`, `status`) from the outbox."""
    if not context.idempotency_key:
        return {"error": "create_ticket needs an idempotency_key (<instance id>:<call id>)"}
    fields = arguments.model_dump()
    write = outbox.write_once(
        context.idempotency_key,
        "ticket",
        fields,
        lambda seq: {"ticket_id": f"TCK-{seq:05d}", "status": "open", **fields},
    )
    return write.record.result


SPEC = ToolSpec(
    name="create_ticket",
    description="Open a support ticket for a problem the user reports (something broken, an outage).",
    arguments=TicketArguments,
    run=create_ticket,
)
