"""Request bodies: size limit, JSON parsing and pydantic validation, each with its own error code.

Malformed JSON (400) is kept apart from JSON of the wrong shape (422) so clients can tell a broken
request from a wrong one; the validation message names every offending field.
"""

import json
import sys
from typing import Any, TypeVar

import azure.functions as func
from pydantic import BaseModel, ValidationError

from api.errors import ApiError

MAX_BODY_BYTES = 1024 * 1024

M = TypeVar("M", bound=BaseModel)


class _NotJsonConstant(ValueError):
    """Python's json reads NaN, Infinity and -Infinity, which JSON (RFC 8259) has no words for."""


def _refuse_constant(name: str) -> Any:
    raise _NotJsonConstant(name)


def read_json(req: func.HttpRequest) -> Any:
    """The parsed JSON body; an empty body reads as `{}` so a missing field is reported by name."""
    raw = req.get_body() or b""
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, "payload_too_large", f"body is {len(raw)} bytes; the limit is {MAX_BODY_BYTES}")
    if not raw.strip():
        return {}
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except _NotJsonConstant as exc:
        raise ApiError(400, "invalid_json", f"body is not valid JSON: {exc} is not a JSON number") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, "invalid_json", f"body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "body nests arrays or objects too deeply") from None
    except ValueError:  # Python's guard against quadratic int parsing, not a JSONDecodeError
        limit = sys.get_int_max_str_digits()
        raise ApiError(400, "invalid_json", f"body has a number longer than {limit} digits") from None


def parse_body(req: func.HttpRequest, model: type[M]) -> M:
    """Validate the JSON body against `model` (422 naming each bad, missing or unknown field)."""
    return validate(read_json(req), model)


def validate(data: Any, model: type[M]) -> M:
    """Validate already-parsed JSON against `model`, turning pydantic's errors into one 422."""
    if not isinstance(data, dict):
        raise ApiError(422, "validation_error", f"body: must be a JSON object, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, "validation_error", describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """`field.path: problem; ...` for every error pydantic found."""
    parts = []
    for error in exc.errors(include_url=False):
        location = ".".join(str(part) for part in error["loc"]) or "body"
        parts.append(f"{location}: {error['msg']}")
    return "; ".join(parts)
