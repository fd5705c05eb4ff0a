"""A deterministic offline chat client whose reply shows which user turns the model was given.

The compatibility tests must prove that an agent entity carries its conversation from one run to the
next, so the reply spells that out: it numbers the latest user message and quotes the earlier ones.
No network and no randomness, so the same conversation always gets the same reply. `delay_s` waits
before answering, as a hosted model does, so tests can see what the host does during a slow call.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from agent_framework import BaseChatClient, ChatResponse, ChatResponseUpdate, Content, Message, ResponseStream

MODEL_ID = "transcript-echo"


def transcript_reply(user_turns: Sequence[str]) -> str:
    """`turn N: <latest>` followed by `| earlier: <a> / <b>` when the model saw earlier user turns."""
    if not user_turns:
        return "turn 0: (no user message)"
    reply = f"turn {len(user_turns)}: {user_turns[-1]}"
    if len(user_turns) > 1:
        reply += " | earlier: " + " / ".join(user_turns[:-1])
    return reply


class TranscriptChatClient(BaseChatClient):
    """Answers every request with `transcript_reply` of the user messages it received."""

    OTEL_PROVIDER_NAME: ClassVar[str] = "transcript"

    def __init__(self, *, delay_s: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.model = MODEL_ID
        self.delay_s = delay_s

    def _inner_get_response(
        self, *, messages: Sequence[Message], stream: bool, options: Mapping[str, Any], **kwargs: Any
    ) -> Awaitable[ChatResponse] | ResponseStream[ChatResponseUpdate, ChatResponse]:
        if stream:
            return self._build_response_stream(self._stream(messages))
        return self._respond(messages)

    async def _respond(self, messages: Sequence[Message]) -> ChatResponse:
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        text = transcript_reply([m.text for m in messages if m.role == "user"])
        return ChatResponse(
            messages=[Message("assistant", [Content.from_text(text)])],
            model=self.model,
            finish_reason="stop",
            created_at=datetime.now(UTC).isoformat(),  # like a hosted model's reply; the agent state keeps it
        )

    async def _stream(self, messages: Sequence[Message]) -> AsyncIterator[ChatResponseUpdate]:
        response = await self._respond(messages)
        yield ChatResponseUpdate(
            role="assistant",
            contents=list(response.messages[0].contents),
            model=response.model,
            finish_reason=response.finish_reason,
            created_at=response.created_at,
        )
