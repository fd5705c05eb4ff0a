"""One model call with a timeout, retried a few times inside the activity when the failure is transient.

The bound is small on purpose: a short blip (a 429 with `Retry-After: 2`) is cheaper to ride out
in place, but anything longer belongs to the orchestrator's durable retry, which waits on a timer
instead of holding a worker. Permanent errors are raised at once.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from agents.endpoint import UNNAMED, ModelEndpoint
from agents.errors import RETRY_AFTER_CAP_S, TransientModelError, chained_cause, classify

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """`retries` extra attempts; without a Retry-After the waits are base, 2×base, … capped."""

    retries: int = 2
    base_delay_s: float = 0.5
    max_delay_s: float = RETRY_AFTER_CAP_S

    def delay(self, error: TransientModelError, attempt: int) -> float:
        """How long to wait before retry number `attempt` (1-based): Retry-After when given."""
        if error.retry_after_s is not None:
            return min(error.retry_after_s, self.max_delay_s)
        return min(self.base_delay_s * 2.0 ** (attempt - 1), self.max_delay_s)


IN_ACTIVITY = RetryPolicy()


async def with_timeout(
    call: Callable[[], Awaitable[T]], timeout_s: float, endpoint: ModelEndpoint = UNNAMED
) -> T:
    """Run `call()` under `timeout_s`; expiry and every other failure come out classified.

    `endpoint` is where the call goes: the errors name it, and carry none of its secrets.
    """
    timer = asyncio.timeout(timeout_s)
    try:
        async with timer:
            return await call()
    except TimeoutError as error:
        if timer.expired():
            raise TransientModelError(
                f"the call to {endpoint.where} timed out after {timeout_s:g} s (AGENT_MODEL_TIMEOUT_S)"
            ) from None
        raise classify(error, endpoint) from chained_cause(error, endpoint)
    except Exception as error:
        raise classify(error, endpoint) from chained_cause(error, endpoint)


async def with_retries(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> T:
    """Run `call()`, retrying transient failures up to `policy.retries` times; then re-raise.

    A Retry-After longer than the policy waits is not slept through here at all: the error goes
    to the orchestrator at once, whose durable retry waits that long on a timer.
    """
    policy = policy or IN_ACTIVITY
    attempt = 0
    while True:
        try:
            return await call()
        except TransientModelError as error:
            attempt += 1
            asked = error.retry_after_s
            if asked is not None and asked > policy.max_delay_s:
                raise TransientModelError(
                    f"{error.reason} (the service asked to wait {asked:g} s, longer than the activity"
                    f" waits: {attempt} attempt(s) in the activity)",
                    retry_after_s=asked,
                ) from error
            if attempt > policy.retries:
                raise TransientModelError(
                    f"{error.reason} (gave up after {attempt} attempts in the activity)",
                    retry_after_s=asked,
                ) from error
            await sleep(policy.delay(error, attempt))
