"""Error classification, Retry-After handling, in-activity retries and timeouts (fake errors, no network)."""

import asyncio
import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx2
import openai
import pytest
from agent_framework.exceptions import ChatClientException, ChatClientInvalidRequestException
from agent_framework_openai import OpenAIContentFilterException

from agents.errors import PermanentModelError, TransientModelError, classify, retry_after_seconds
from agents.retry import RetryPolicy, with_retries, with_timeout
from agents.settings import ModelSettings
from orchestrators.contract import TRANSIENT_MODEL_ERROR
from orchestrators.retry import retry_after_in

REQUEST = httpx2.Request("POST", "https://example.openai.azure.com/openai/v1/chat/completions")


def status_error(
    status: int, headers: dict[str, str] | None = None, body: object = None
) -> openai.APIStatusError:
    response = httpx2.Response(status, headers=headers or {}, request=REQUEST)
    return openai.AsyncOpenAI(api_key="k")._make_status_error(
        f"status {status}", body=body, response=response
    )


def stream_error(kind: str, field: str = "type") -> openai.APIError:
    """What openai raises for an `{"error": {...}}` chunk inside a 200 stream: no status code."""
    body = {"message": "it broke", "type": None, "param": None, "code": None, field: kind}
    return openai.APIError("it broke", request=REQUEST, body=body)


def malformed_chunk() -> json.JSONDecodeError:
    try:
        json.loads("{this is not json")
    except json.JSONDecodeError as error:
        return error
    raise AssertionError("unreachable")


CONTENT_FILTER_BODY = {
    "code": "content_filter",
    "message": "filtered",
    "innererror": {"code": "ContentFiltered"},
}


@pytest.mark.parametrize(
    ("error", "kind", "says"),
    [
        (status_error(429), TransientModelError, "429"),
        (status_error(500), TransientModelError, "500"),
        (status_error(503), TransientModelError, "503"),
        (status_error(408), TransientModelError, "408"),
        (status_error(400), PermanentModelError, "400 Bad Request"),
        (status_error(400, body=CONTENT_FILTER_BODY), PermanentModelError, "content filter"),
        (status_error(401), PermanentModelError, "az login"),
        (status_error(403), PermanentModelError, "Cognitive Services OpenAI User"),
        (status_error(404), PermanentModelError, "check AZURE_OPENAI_ENDPOINT / OPENAI_BASE_URL"),
        (status_error(404, body={"code": "model_not_found"}), PermanentModelError, "AZURE_OPENAI_MODEL"),
        (openai.APIConnectionError(request=REQUEST), TransientModelError, "could not reach"),
        (openai.APITimeoutError(request=REQUEST), TransientModelError, "could not reach"),
        (TimeoutError("slow"), TransientModelError, "timed out"),
        (ConnectionResetError("reset"), TransientModelError, "could not reach"),
        (ChatClientInvalidRequestException("bad messages"), PermanentModelError, "bad messages"),
        (ValueError("something odd"), PermanentModelError, "ValueError: something odd"),
        (stream_error("server_error"), TransientModelError, "failed mid-reply"),
        (stream_error("rate_limit_exceeded", "code"), TransientModelError, "failed mid-reply"),
        (stream_error("overloaded_error"), TransientModelError, "failed mid-reply"),
        (stream_error("invalid_request_error"), PermanentModelError, "APIError: it broke"),
        (malformed_chunk(), TransientModelError, "malformed reply"),
        (
            RuntimeError("OpenAI streaming error: server_error: The server had an error"),
            TransientModelError,
            "failed mid-reply",
        ),
        (
            RuntimeError("OpenAI streaming error: invalid_prompt: not allowed"),
            PermanentModelError,
            "invalid_prompt",
        ),
    ],
)
def test_classification_table(error: Exception, kind: type, says: str) -> None:
    verdict = classify(error)
    assert type(verdict) is kind
    assert says in str(verdict)


AZURE = ModelSettings(
    provider="azure_openai", azure_endpoint="https://example.openai.azure.com/", azure_model="chat"
)


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (
            status_error(401),
            "authentication failed (401) at the model endpoint https://example.openai.azure.com/",
        ),
        (status_error(401), "`az login` locally; in Azure the managed identity (AZURE_CLIENT_ID)"),
        (status_error(403), "Cognitive Services OpenAI User role"),
        (
            status_error(
                404, body={"code": "DeploymentNotFound", "message": "The API deployment does not exist"}
            ),
            "model 'chat' (AZURE_OPENAI_MODEL) not found (404)",
        ),
        (status_error(404, body={"message": "Resource not found"}), "check AZURE_OPENAI_ENDPOINT"),
        (
            status_error(503),
            "the model endpoint https://example.openai.azure.com/ (AZURE_OPENAI_ENDPOINT) answered 503",
        ),
    ],
)
def test_azure_errors_name_the_azure_settings(error: Exception, says: str) -> None:
    assert says in str(classify(error, AZURE.endpoint))


def test_the_settings_never_show_the_key() -> None:
    settings = ModelSettings(provider="openai", openai_api_key="sk-test-SECRET-0123456789", openai_model="m")
    assert "SECRET" not in repr(settings) and "SECRET" not in repr(settings.endpoint)


def test_the_wrapped_openai_error_decides() -> None:
    """agent-framework wraps openai errors in ChatClientException (inner_exception + __cause__)."""
    inner = status_error(429, {"retry-after": "3"})
    try:
        raise ChatClientException("service failed", inner_exception=inner) from inner
    except ChatClientException as wrapped:
        verdict = classify(wrapped)
    assert isinstance(verdict, TransientModelError) and verdict.retry_after_s == 3.0


def test_the_content_filter_exception_is_permanent() -> None:
    inner = status_error(400, body=CONTENT_FILTER_BODY)
    verdict = classify(OpenAIContentFilterException("blocked by policy", inner_exception=inner))
    assert isinstance(verdict, PermanentModelError) and "content filter" in str(verdict)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "2"}, 2.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after": "60"}, 60.0),  # longer than the activity waits: passed on to the durable retry
        ({"retry-after": "86400"}, 300.0),  # capped
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_header(headers: dict[str, str], seconds: float | None) -> None:
    assert retry_after_seconds(status_error(429, headers)) == seconds


def test_retry_after_as_an_http_date() -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    assert 3.0 <= retry_after_seconds(status_error(503, {"retry-after": when})) <= 5.0


class Flaky:
    """Fails with the given errors, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def run_with_retries(flaky: Flaky) -> tuple[str | BaseException, list[float]]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def go() -> str:
        return await with_retries(flaky, RetryPolicy(retries=2, base_delay_s=0.5), sleep)

    try:
        return asyncio.run(go()), waits
    except BaseException as error:
        return error, waits


def test_transient_errors_are_retried_honouring_retry_after() -> None:
    flaky = Flaky(TransientModelError("429", retry_after_s=3.0), TransientModelError("503"))
    assert run_with_retries(flaky) == ("ok", [3.0, 1.0])
    assert flaky.calls == 3


def test_a_retry_after_longer_than_the_activity_waits_goes_to_the_orchestrator_at_once() -> None:
    flaky = Flaky(TransientModelError("429 from the model", retry_after_s=45.0))
    outcome, waits = run_with_retries(flaky)
    assert (flaky.calls, waits) == (1, [])
    assert isinstance(outcome, TransientModelError) and outcome.retry_after_s == 45.0
    assert str(outcome).startswith("429 from the model (the service asked to wait 45 s")
    assert str(outcome).endswith("[retry after 45 s]")


def test_the_orchestrator_reads_the_wait_the_activity_wrote() -> None:
    """orchestrators/ may not import agents/: the failure text is the contract, checked end to end."""
    error = TransientModelError("429", retry_after_s=12.5)
    reason = f"Activity function 'run_agent' failed:  TransientModelError: {error} \n details"
    assert retry_after_in(Exception(reason)) == 12.5


def test_retries_are_bounded_then_the_transient_error_is_raised() -> None:
    flaky = Flaky(*(TransientModelError("503") for _ in range(5)))
    outcome, waits = run_with_retries(flaky)
    assert isinstance(outcome, TransientModelError) and "gave up after 3 attempts" in str(outcome)
    assert "[retry after" not in str(outcome)
    assert (flaky.calls, waits) == (3, [0.5, 1.0])


def test_permanent_errors_are_not_retried() -> None:
    flaky = Flaky(PermanentModelError("401"))
    outcome, waits = run_with_retries(flaky)
    assert isinstance(outcome, PermanentModelError) and (flaky.calls, waits) == (1, [])


def test_a_slow_call_times_out_as_transient() -> None:
    async def slow() -> None:
        await asyncio.sleep(5)

    with pytest.raises(TransientModelError, match=r"timed out after 0.05 s \(AGENT_MODEL_TIMEOUT_S\)"):
        asyncio.run(with_timeout(slow, 0.05))


def test_other_failures_come_out_classified() -> None:
    async def rate_limited() -> None:
        raise status_error(429, {"retry-after-ms": "10"})

    with pytest.raises(TransientModelError) as caught:
        asyncio.run(with_timeout(rate_limited, 5))
    assert caught.value.retry_after_s == 0.01


def test_orchestrators_retry_on_the_class_name_the_activity_raises() -> None:
    """orchestrators/ may not import agents/, so the name is a contract constant; it must stay the class's."""
    assert TransientModelError.__name__ == TRANSIENT_MODEL_ERROR
