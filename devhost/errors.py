"""Errors the engine raises for client calls; the HTTP side maps each one to a status code.

Each carries the message the extension would put in its error body, naming the instance or entity.
"""


class EngineError(Exception):
    """Base of the client-facing engine errors."""


class NotFound(EngineError):
    """The instance or entity does not exist (404)."""


class Gone(EngineError):
    """The instance already finished, so the operation no longer applies (410)."""


class BadRequest(EngineError):
    """The request names something the app does not define, or is malformed (400)."""


class Conflict(EngineError):
    """The instance is in a state that forbids the operation, e.g. an id that is still running (409)."""
