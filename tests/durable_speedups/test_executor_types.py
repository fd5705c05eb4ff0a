"""The executor's per-episode namedtuple class is built once, and the SDK replays exactly as before."""

import sys
from collections import namedtuple

import pytest
from azure.durable_functions.models.TaskOrchestrationExecutor import TaskOrchestrationExecutor

from durable_speedups import executor_types


def payload_class(executor: TaskOrchestrationExecutor) -> type:
    return type(next(iter(executor.event_to_SetTaskValuePayload.values())))


def test_every_executor_shares_one_payload_class_once_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    module = sys.modules[executor_types.EXECUTOR_MODULE]
    monkeypatch.setattr(module, "namedtuple", namedtuple)
    assert payload_class(TaskOrchestrationExecutor()) is not payload_class(TaskOrchestrationExecutor())

    executor_types.install()
    first, second = TaskOrchestrationExecutor(), TaskOrchestrationExecutor()
    assert payload_class(first) is payload_class(second)
    assert first.event_to_SetTaskValuePayload == second.event_to_SetTaskValuePayload
    assert payload_class(first)._fields == ("is_success", "task_id_key")


def test_calls_not_shaped_like_the_sdks_get_a_fresh_class() -> None:
    assert executor_types.cached_namedtuple("P", "a b") is not executor_types.cached_namedtuple("P", "a b")
    made = executor_types.cached_namedtuple("P", ["a", "b"], defaults=(1,))
    assert made(0) == (0, 1)
