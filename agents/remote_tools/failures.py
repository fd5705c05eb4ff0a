"""What went wrong when talking to an MCP server: the root cause, and whether the server answered.

The `mcp` client runs each connection in anyio task groups, so a failure reaches us wrapped in one
or more `ExceptionGroup`s ("unhandled errors in a TaskGroup (1 sub-exception)"). Neither a person
reading the log nor the code deciding between "tell the model" and "retry" can use the wrapper, so
every place that inspects such an error goes through `RemoteFailure.of`, which looks at the
exceptions inside the groups, at every level of nesting.

Two kinds of failure matter:

- the server *answered* and said no: a JSON-RPC error it sent (unknown tool, -32602 bad
  arguments), or an HTTP refusal such as 401/403/404. Asking again gets the same answer.
- the server could not be reached or did not finish: connection refused, a dropped stream, a
  timeout, an HTTP 5xx, 408 or 429. Asking again later may work.

A group holding several exceptions counts as answered when any of them is an answer from the
server: that answer is what the request got, and the others are the connection being torn down
after it.
"""

from dataclasses import dataclass

# Codes the `mcp` client makes up itself when no answer arrived (mcp_types.jsonrpc): the
# connection closed, or the request timed out. They are outages, not answers.
_CLIENT_MADE_CODES = frozenset({-32000, -32001})
# HTTP statuses that say "not now" rather than "no".
_RETRYABLE_STATUS = frozenset({408, 425, 429})


@dataclass(frozen=True)
class RemoteFailure:
    """One failed exchange with a server: its root cause in words, and whether the server answered."""

    cause: str
    answered: bool

    @classmethod
    def of(cls, error: BaseException, http_status: int | None = None) -> "RemoteFailure":
        """Classify `error`; `http_status` is the last non-2xx status the server sent, if any.

        The status matters because the client turns an HTTP error into a made-up JSON-RPC error
        ("Server returned an error response" for a 401), which hides what the server said.
        """
        causes = leaves(error)
        cause = "; ".join(_describe(leaf) for leaf in causes)
        if http_status is not None:
            cause = f"{cause} (HTTP {http_status} {_reason(http_status)})"
            if http_status >= 500 or http_status in _RETRYABLE_STATUS:
                return cls(cause, answered=False)
        return cls(cause, answered=any(_is_answer(leaf) for leaf in causes))


class RemoteError(Exception):
    """Raised by `connection` for any failed exchange, carrying the classified failure."""

    def __init__(self, failure: RemoteFailure) -> None:
        super().__init__(failure.cause)
        self.failure = failure


def leaves(error: BaseException) -> list[BaseException]:
    """The exceptions inside `error`'s exception groups, however deeply nested; `[error]` if none."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for member in error.exceptions for leaf in leaves(member)]
    return [error]


def _is_answer(error: BaseException) -> bool:
    from mcp.shared.exceptions import MCPError

    return isinstance(error, MCPError) and error.code not in _CLIENT_MADE_CODES


def _describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
