"""Signatures the Python worker refuses to index are refused at load, with the worker's messages."""

from collections.abc import Callable
from typing import Any

import azure.functions as func
import pytest

from devhost.signatures import FunctionLoadError, check_signatures


def _functions(register: Callable[[func.FunctionApp], None]) -> list[Any]:
    app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
    register(app)
    return app.get_functions()


def _unbound_parameter(app: func.FunctionApp) -> None:
    @app.route(route="extra")
    def extra(req: func.HttpRequest, foo) -> func.HttpResponse:  # type: ignore[no-untyped-def]
        return func.HttpResponse("extra")


def _int_return(app: func.FunctionApp) -> None:
    @app.route(route="retint")
    def retint(req) -> int:  # type: ignore[no-untyped-def]
        return 5


def _bad_context(app: func.FunctionApp) -> None:
    @app.route(route="ctx")
    def ctx(req: func.HttpRequest, context: str) -> str:
        return context


def _in_binding_as_out(app: func.FunctionApp) -> None:
    @app.route(route="out")
    def out(req: func.Out[str]) -> str:
        return ""


def _wrong_trigger_type(app: func.FunctionApp) -> None:
    @app.route(route="wrong")
    def wrong(req: int) -> str:
        return ""


@pytest.mark.parametrize(
    ("register", "message"),
    [
        (
            _unbound_parameter,
            "cannot load the extra function: the following parameters are declared in Python but not in "
            "function.json: {'foo'}",
        ),
        (
            _int_return,
            'cannot load the retint function: Python return annotation "int" does not match binding type '
            '"http"',
        ),
        (_bad_context, 'the "context" parameter is expected to be of type azure.functions.Context'),
        (_in_binding_as_out, 'binding req is declared to have the "in" direction'),
        (
            _wrong_trigger_type,
            'type of req binding in function.json "httpTrigger" does not match its Python annotation "int"',
        ),
    ],
)
def test_the_workers_refusals(register: Callable[[func.FunctionApp], None], message: str) -> None:
    with pytest.raises(FunctionLoadError) as refused:
        check_signatures(_functions(register))
    assert message in str(refused.value)


def test_accepted_signatures_pass() -> None:
    def register(app: func.FunctionApp) -> None:
        @app.route(route="ok")
        @app.queue_output(arg_name="msg", queue_name="q", connection="AzureWebJobsStorage")
        def ok(req: func.HttpRequest, msg: func.Out[str], context: func.Context) -> str:
            return ""

        @app.route(route="plain")
        def plain(req):  # type: ignore[no-untyped-def]
            return ""

    assert check_signatures(_functions(register)) == []


def test_builtin_generic_is_a_warning_not_a_refusal() -> None:
    """Worker 4.34 refuses `dict[str, Any]` (durable-python#468); a newer one may not, so we only warn."""

    def register(app: func.FunctionApp) -> None:
        @app.activity_trigger(input_name="payload")
        def step(payload: dict[str, Any]) -> dict[str, Any]:
            return payload

    (warning,) = check_signatures(_functions(register))
    assert "cannot load the step function: binding payload has invalid non-type annotation" in warning
