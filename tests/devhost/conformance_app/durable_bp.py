"""Durable functions of the conformance app, written the way the SDK documents them.

One orchestrator per behaviour the embedded host must reproduce; activities and entities they use.
"""

from datetime import timedelta
from typing import Any

import azure.durable_functions as df

bp = df.Blueprint()

# How many times each flaky key has been attempted, per process: lets a retry test fail N times.
ATTEMPTS: dict[str, int] = {}


class Point:
    """A custom class that travels through activities with the SDK's to_json/from_json convention."""

    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y

    @staticmethod
    def to_json(obj: "Point") -> dict[str, int]:
        return {"x": obj.x, "y": obj.y}

    @staticmethod
    def from_json(data: dict[str, int]) -> "Point":
        return Point(data["x"], data["y"])


# ------------------------------------------------------------------------------------------ activities
@bp.activity_trigger(input_name="name")
def say_hello(name: str) -> str:
    return f"Hello {name}"


@bp.activity_trigger(input_name="value")
async def square(value: int) -> int:
    return value * value


@bp.activity_trigger(input_name="text", activity="Shout")
def shout_activity(text: str) -> str:
    return text.upper()


@bp.activity_trigger(input_name="value")
def echo(value: Any) -> Any:
    return value


@bp.activity_trigger(input_name="request")
def flaky(request: dict[str, Any]) -> str:
    """Fails the first ``fail_times`` calls for a key, then succeeds."""
    key = request["key"]
    ATTEMPTS[key] = ATTEMPTS.get(key, 0) + 1
    if ATTEMPTS[key] <= request["fail_times"]:
        raise RuntimeError(f"attempt {ATTEMPTS[key]} of {key} failed")
    return f"{key} ok after {ATTEMPTS[key]} attempts"


@bp.activity_trigger(input_name="reason")
def always_fails(reason: str) -> None:
    raise ValueError(reason)


@bp.activity_trigger(input_name="point")
def move_point(point: Point) -> Point:
    return Point(point.x + 1, point.y + 2)


# ---------------------------------------------------------------------------------------- orchestrators
@bp.orchestration_trigger(context_name="context")
def hello_sequence(context: df.DurableOrchestrationContext):
    name = context.get_input()
    first = yield context.call_activity("say_hello", name)
    second = yield context.call_activity("say_hello", first)
    third = yield context.call_activity("Shout", second)
    return [first, second, third]


@bp.orchestration_trigger(context_name="context")
def fan_out_fan_in(context: df.DurableOrchestrationContext):
    count = context.get_input()
    squares = yield context.task_all([context.call_activity("square", i) for i in range(count)])
    return sum(squares)


@bp.orchestration_trigger(context_name="context")
def approval_or_timeout(context: df.DurableOrchestrationContext):
    seconds = context.get_input()
    timer = context.create_timer(context.current_utc_datetime + timedelta(seconds=seconds))
    approval = context.wait_for_external_event("Approval")
    winner = yield context.task_any([approval, timer])
    if winner == approval:
        timer.cancel()
        return {"verdict": approval.result}
    return {"verdict": "timed out"}


@bp.orchestration_trigger(context_name="context")
def early_event(context: df.DurableOrchestrationContext):
    greeting = yield context.call_activity("say_hello", "early")
    go = yield context.wait_for_external_event("Go")
    return {"greeting": greeting, "go": go}


@bp.orchestration_trigger(context_name="context")
def retry_flaky(context: df.DurableOrchestrationContext):
    request = context.get_input()
    options = df.RetryOptions(first_retry_interval_in_milliseconds=50, max_number_of_attempts=3)
    result, plain = yield context.task_all(
        [context.call_activity_with_retry("flaky", options, request), context.call_activity("square", 3)]
    )
    return {"result": result, "plain": plain}


@bp.orchestration_trigger(context_name="context")
def retry_exhausted(context: df.DurableOrchestrationContext):
    options = df.RetryOptions(first_retry_interval_in_milliseconds=20, max_number_of_attempts=2)
    try:
        yield context.call_activity_with_retry("always_fails", options, "still broken")
    except Exception as error:
        return {"caught": str(error)}
    return {"caught": None}


@bp.orchestration_trigger(context_name="context")
def failing_child(context: df.DurableOrchestrationContext):
    request = context.get_input()
    return (yield context.call_activity("flaky", request))


@bp.orchestration_trigger(context_name="context")
def parent_of_children(context: df.DurableOrchestrationContext):
    generated = yield context.call_sub_orchestrator("hello_sequence", "Ann")
    named = yield context.call_sub_orchestrator("fan_out_fan_in", 4, instance_id=f"{context.instance_id}-fan")
    options = df.RetryOptions(first_retry_interval_in_milliseconds=20, max_number_of_attempts=2)
    request = {"key": f"{context.instance_id}-child", "fail_times": 1}
    retried = yield context.call_sub_orchestrator_with_retry("failing_child", options, request)
    try:
        yield context.call_sub_orchestrator(
            "failing_child", {"key": f"{context.instance_id}-x", "fail_times": 9}
        )
        failure = None
    except Exception as error:
        failure = str(error)
    return {"generated": generated, "named": named, "retried": retried, "failure": failure}


@bp.orchestration_trigger(context_name="context")
def countdown(context: df.DurableOrchestrationContext):
    state = context.get_input()
    yield context.call_activity("square", state["n"])
    if state["n"] > 0:
        context.continue_as_new({"n": state["n"] - 1, "seen": [*state["seen"], state["n"]]})
        return None
    return state["seen"]


@bp.orchestration_trigger(context_name="context")
def event_accumulator(context: df.DurableOrchestrationContext):
    state = context.get_input()
    value = yield context.wait_for_external_event("add")
    values = [*state["values"], value]
    if len(values) < state["expected"]:
        context.continue_as_new({"values": values, "expected": state["expected"]})
        return None
    return values


@bp.orchestration_trigger(context_name="context")
def custom_status_steps(context: df.DurableOrchestrationContext):
    context.set_custom_status({"step": "start"})
    yield context.call_activity("say_hello", "status")
    context.set_custom_status({"step": "waiting"})
    yield context.wait_for_external_event("Continue")
    context.set_custom_status("")  # falsy: the SDK drops it, the host keeps the last one
    return "done"


@bp.orchestration_trigger(context_name="context")
def report_version(context: df.DurableOrchestrationContext):
    yield context.call_activity("echo", context.version)
    return context.version


@bp.orchestration_trigger(context_name="context")
def replay_safe_values(context: df.DurableOrchestrationContext):
    first_id = context.new_uuid()
    first_time = context.current_utc_datetime.isoformat()
    echoed = yield context.call_activity("echo", {"id": first_id, "time": first_time})
    return {
        "id_stable": echoed["id"] == first_id,
        "time_stable": echoed["time"] == first_time,
        "second_differs": context.new_uuid() != first_id,
    }


@bp.orchestration_trigger(context_name="context")
def custom_objects(context: df.DurableOrchestrationContext):
    moved = yield context.call_activity("move_point", Point(1, 1))
    return {"x": moved.x, "y": moved.y}


@bp.orchestration_trigger(context_name="context")
def entity_flow(context: df.DurableOrchestrationContext):
    key = context.get_input()
    counter = df.EntityId("Counter", key)
    context.signal_entity(counter, "add", 5)
    yield context.call_entity(counter, "add", 10)
    total = yield context.call_entity(counter, "get")
    cart = df.EntityId("Cart", key)
    yield context.call_entity(cart, "add", "apple")
    items = yield context.call_entity(cart, "add", "pear")
    try:
        yield context.call_entity(counter, "fail")
        error = None
    except Exception as exc:
        error = str(exc)
    return {"total": total, "items": items, "error": error}


@bp.orchestration_trigger(context_name="context")
def activity_failure_caught(context: df.DurableOrchestrationContext):
    try:
        yield context.call_activity("always_fails", "boom")
    except Exception as error:
        return {"caught": str(error)}
    return {"caught": None}


@bp.orchestration_trigger(context_name="context")
def activity_failure_uncaught(context: df.DurableOrchestrationContext):
    yield context.call_activity("always_fails", "unhandled boom")
    return "unreachable"


@bp.orchestration_trigger(context_name="context")
def orchestrator_bug(context: df.DurableOrchestrationContext):
    context.set_custom_status("about to fail")
    yield context.call_activity("say_hello", "bug")
    raise ValueError("orchestrator bug")


@bp.orchestration_trigger(context_name="context")
def rewindable(context: df.DurableOrchestrationContext):
    request = context.get_input()
    first = yield context.call_activity("say_hello", "before")
    second = yield context.call_activity("flaky", request)
    return [first, second]


@bp.orchestration_trigger(context_name="context")
def child_retry_exhausted(context: df.DurableOrchestrationContext):
    options = df.RetryOptions(first_retry_interval_in_milliseconds=20, max_number_of_attempts=2)
    return (yield context.call_sub_orchestrator_with_retry("failing_child", options, context.get_input()))


@bp.orchestration_trigger(context_name="context")
def flaky_beside_timer(context: df.DurableOrchestrationContext):
    """The activity fails while the timer is still pending: a rewind must start that timer again."""
    request = context.get_input()
    due = context.current_utc_datetime + timedelta(seconds=request["timer_seconds"])
    result, _ = yield context.task_all([context.call_activity("flaky", request), context.create_timer(due)])
    return result


@bp.orchestration_trigger(context_name="context")
def steps_v1(context: df.DurableOrchestrationContext):
    """Version 1 of a two-step orchestration; steps_v2 is the same one after a careless edit."""
    yield context.call_activity("say_hello", "one")
    yield context.wait_for_external_event("Next")
    yield context.call_activity("say_hello", "two")
    return "v1"


@bp.orchestration_trigger(context_name="context")
def steps_v2(context: df.DurableOrchestrationContext):
    yield context.call_activity("square", 1)
    yield context.wait_for_external_event("Next")
    yield context.call_activity("say_hello", "two")
    return "v2"


# -------------------------------------------------------------------------------------------- entities
@bp.entity_trigger(context_name="context")
def Counter(context: df.DurableEntityContext) -> None:
    value = context.get_state(lambda: 0)
    operation = context.operation_name
    if operation == "add":
        value += context.get_input()
    elif operation == "reset":
        value = 0
    elif operation == "get":
        context.set_result(value)
    elif operation == "fail":
        raise ValueError("the counter refuses")
    elif operation == "delete":
        context.destruct_on_exit()
        return
    context.set_state(value)


class ShoppingCart:
    """A class-style entity: the Python SDK dispatches to a function, which dispatches to methods."""

    def __init__(self, items: list[str]) -> None:
        self.items = items

    def add(self, item: str) -> list[str]:
        self.items.append(item)
        return self.items

    def remove(self, item: str) -> list[str]:
        self.items.remove(item)
        return self.items

    def count(self, _: None) -> int:
        return len(self.items)


@bp.entity_trigger(context_name="context", entity_name="Cart")
def cart_entity(context: df.DurableEntityContext) -> None:
    cart = ShoppingCart(context.get_state(list))
    context.set_result(getattr(cart, context.operation_name)(context.get_input()))
    context.set_state(cart.items)
