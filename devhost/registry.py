"""Which durable functions an app defines, looked up by durable name (case-insensitive, protocol §1.2)."""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from azure.functions.decorators.core import Trigger
from azure.functions.decorators.function_app import Function

ORCHESTRATION_TRIGGER = "orchestrationTrigger"
ACTIVITY_TRIGGER = "activityTrigger"
ENTITY_TRIGGER = "entityTrigger"


@dataclass(frozen=True)
class DurableFunction:
    """One orchestrator, activity or entity: its durable name and how to call it."""

    name: str
    handler: Callable[..., Any]
    parameter: str  # the trigger's parameter name (activities are called with it as a keyword)
    is_async: bool
    function: Function | None = None  # the registered function, for its other bindings
    has_bindings: bool = False  # bindings besides the trigger (an activity's queue output, ...)


def _durable_name(function: Function, trigger: Trigger) -> str:
    """The extension's rule: binding override first, then the registered function name."""
    override = (
        getattr(trigger, "orchestration", None)
        or getattr(trigger, "activity", None)
        or getattr(trigger, "entity_name", None)
    )
    name = override or function.get_function_name()
    if not isinstance(name, str) or not name:
        raise ValueError(f"a {trigger.get_binding_name()} function has no name: {function}")
    return name


class DurableRegistry:
    """Orchestrators, activities and entities of one app, keyed by lower-cased durable name."""

    def __init__(self, functions: list[Function]) -> None:
        self._by_kind: dict[str, dict[str, DurableFunction]] = {
            ORCHESTRATION_TRIGGER: {},
            ACTIVITY_TRIGGER: {},
            ENTITY_TRIGGER: {},
        }
        for function in functions:
            trigger = function.get_trigger()
            if trigger is None or trigger.get_binding_name() not in self._by_kind:
                continue
            handler = function.get_user_function()
            name = _durable_name(function, trigger)
            self._by_kind[trigger.get_binding_name()][name.lower()] = DurableFunction(
                name=name,
                handler=handler,
                parameter=trigger.name,
                is_async=inspect.iscoroutinefunction(handler),
                function=function,
                has_bindings=any(binding is not trigger for binding in function.get_bindings()),
            )

    def orchestrator_names(self) -> list[str]:
        return [f.name for f in self._by_kind[ORCHESTRATION_TRIGGER].values()]

    def has_entity(self, name: str) -> bool:
        return name.lower() in self._by_kind[ENTITY_TRIGGER]

    def orchestrator(self, name: str) -> DurableFunction | None:
        return self._by_kind[ORCHESTRATION_TRIGGER].get(name.lower())

    def activity(self, name: str) -> DurableFunction | None:
        return self._by_kind[ACTIVITY_TRIGGER].get(name.lower())

    def entity(self, name: str) -> DurableFunction | None:
        return self._by_kind[ENTITY_TRIGGER].get(name.lower())

    def replace_orchestrator(self, name: str, handler: Callable[..., Any]) -> None:
        """Swap an orchestrator's code under the same durable name (a redeploy, as tests simulate)."""
        current = self._by_kind[ORCHESTRATION_TRIGGER][name.lower()]
        self._by_kind[ORCHESTRATION_TRIGGER][name.lower()] = DurableFunction(
            name=current.name, handler=handler, parameter=current.parameter, is_async=False
        )
