"""Rewind re-runs the work that failed, including with-retry calls that ran out of attempts."""

import json
import uuid
from typing import Any

import pytest

from devhost.engine import Engine
from devhost.errors import Conflict
from tests.devhost.engine.engine_support import finished, run_to_end


def flaky(fail_times: int, **extra: Any) -> str:
    return json.dumps({"key": uuid.uuid4().hex, "fail_times": fail_times, **extra})


async def fail_then_rewind(engine: Engine, name: str, input_text: str) -> tuple[dict, dict]:
    failed = await run_to_end(engine, name, input_text)
    await engine.rewind(failed["instanceId"], "fixed it")
    return failed, await finished(engine, failed["instanceId"])


def test_rewind_reruns_the_failed_activity(run_engine) -> None:
    request = json.dumps({"key": f"rewind-{uuid.uuid4().hex}", "fail_times": 1})
    failed, rewound = run_engine(lambda engine: fail_then_rewind(engine, "rewindable", request))
    assert failed["runtimeStatus"] == "Failed"
    assert rewound["runtimeStatus"] == "Completed"
    assert rewound["output"][0] == "Hello before"
    assert rewound["output"][1].endswith("ok after 2 attempts")


def test_rewind_gives_an_exhausted_activity_retry_one_more_attempt(run_engine) -> None:
    failed, rewound = run_engine(lambda engine: fail_then_rewind(engine, "retry_flaky", flaky(3)))
    assert failed["runtimeStatus"] == "Failed" and "attempt 3 of" in failed["output"]
    assert rewound["runtimeStatus"] == "Completed"
    assert rewound["output"]["result"].endswith("ok after 4 attempts")
    assert rewound["output"]["plain"] == 9


def test_rewind_of_an_exhausted_retry_that_fails_again_fails_the_same_way(run_engine) -> None:
    async def scenario(engine: Engine) -> tuple[dict, dict]:
        _, again = await fail_then_rewind(engine, "retry_flaky", flaky(9))
        await engine.rewind(again["instanceId"], "once more")
        return again, await finished(engine, again["instanceId"])

    again, third = run_engine(scenario)
    assert again["runtimeStatus"] == "Failed" and "attempt 4 of" in again["output"]
    assert third["runtimeStatus"] == "Failed" and "attempt 5 of" in third["output"]


def test_rewind_gives_an_exhausted_sub_orchestration_retry_one_more_attempt(run_engine) -> None:
    failed, rewound = run_engine(lambda engine: fail_then_rewind(engine, "child_retry_exhausted", flaky(2)))
    assert failed["runtimeStatus"] == "Failed"
    assert "Orchestrator function 'failing_child' failed" in failed["output"]
    assert rewound["runtimeStatus"] == "Completed"
    assert rewound["output"].endswith("ok after 3 attempts")


def test_rewind_restarts_a_timer_that_was_still_pending(run_engine) -> None:
    request = flaky(1, timer_seconds=0.3)
    failed, rewound = run_engine(lambda engine: fail_then_rewind(engine, "flaky_beside_timer", request))
    assert failed["runtimeStatus"] == "Failed"
    assert rewound["runtimeStatus"] == "Completed"
    assert rewound["output"].endswith("ok after 2 attempts")


def test_only_failed_instances_rewind(run_engine) -> None:
    async def scenario(engine: Engine) -> None:
        waiting = await engine.start_new("approval_or_timeout", None, "3600")
        await engine.wait_idle(5)
        with pytest.raises(Conflict, match=waiting):
            await engine.rewind(waiting, "not failed")

    run_engine(scenario)
