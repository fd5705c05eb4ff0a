"""Code an orchestrator reaches without a plain call of a module-level function is checked too:
class methods, aliases, functions passed as values, lambdas and partials in module variables,
values computed at import, and orchestrators registered through a variable, a loop or a class."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


def test_every_way_of_reaching_a_helper_is_followed(replaycheck: Callable[..., Any]) -> None:
    run = replaycheck(cwd=FIXTURES / "reach")
    assert run.located == [
        "function_app.py:14:14: RC001",  # Clock().now() and Clock.stamp(): the class's methods
        "function_app.py:20:9: RC005",  # f = util.deeper; f()
        "function_app.py:21:21: RC006",  # {"cfg": read_config}["cfg"]()
        "function_app.py:22:46: RC001",  # sorted(..., key=score)
        "function_app.py:28:39: RC001",  # now = lambda: datetime.now()
        "function_app.py:28:46: RC001",  # stamp = functools.partial(_format, "%H")
        "function_app.py:33:8: RC005",  # DEFAULT_MODE = MODE = os.getenv(...) at import
        "function_app.py:34:43: RC001",  # STARTED = datetime.now() at import; LABEL is a constant
        "reach_flows/registered.py:7:38: RC005",  # register = app.orchestration_trigger(...); register(fn)
        "reach_flows/registered.py:11:38: RC005",  # registered in a loop over a literal tuple
        "reach_flows/registered.py:17:42: RC005",  # a static method registered by call
        "reach_flows/util.py:12:16: RC001",
        "reach_flows/util.py:16:16: RC001",
        "reach_flows/util.py:20:10: RC006",
        "reach_flows/util.py:25:12: RC005",
        "reach_flows/util.py:29:12: RC001",
        "reach_flows/util.py:33:12: RC001",
    ]
    assert run.summary == {"orchestrators": 7, "helpers": 6, "files": 4, "findings": 17}


def test_an_import_time_value_is_reported_where_it_is_read(replaycheck: Callable[..., Any]) -> None:
    run = replaycheck(cwd=FIXTURES / "reach")
    assert run.lines[6].startswith(
        "function_app.py:33:8: RC005 `DEFAULT_MODE` was set at import by `os.getenv` "
        "(reach_flows/settings.py:6), which touches the process environment"
    )


def test_a_registration_that_cannot_be_resolved_is_named(replaycheck: Callable[..., Any]) -> None:
    run = replaycheck(cwd=FIXTURES / "reach")
    assert (
        "function_app.py:43:5: warning: orchestration registered by "
        "`app.orchestration_trigger(context_name='context')(built)` cannot be resolved to a project "
        "function and is NOT checked"
    ) in run.stderr
