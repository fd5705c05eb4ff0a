"""The start-up function table names a trigger type that no host or extension knows as unknown."""

import azure.functions as func

from devhost.function_table import describe_functions


def table(app: func.FunctionApp) -> str:
    return describe_functions(list(app.get_functions()), "http://localhost:7071", "api")


def test_a_misspelt_trigger_type_is_unknown_with_the_likely_type() -> None:
    app = func.FunctionApp()

    @app.generic_trigger(arg_name="timer", type="timerTriger", schedule="0 0 * * * *")
    def tick(timer: str) -> None:
        """Never run."""

    assert (
        "tick: timerTriger (0 0 * * * *)  [unknown trigger type 'timerTriger' (did you mean 'timerTrigger'?):"
        " func start fails this function too]"
    ) in table(app)


def test_a_type_with_no_likely_match_gets_no_guess() -> None:
    app = func.FunctionApp()

    @app.generic_trigger(arg_name="item", type="carrierPigeonTrigger")
    def coo(item: str) -> None:
        """Never run."""

    assert "coo: carrierPigeonTrigger  [unknown trigger type 'carrierPigeonTrigger': func start" in table(app)


def test_a_known_trigger_the_host_does_not_run_still_points_to_func_start() -> None:
    app = func.FunctionApp()

    @app.generic_trigger(arg_name="msg", type="rabbitMQTrigger", queueName="q", connectionStringSetting="R")
    def rabbit(msg: str) -> None:
        """Never run."""

    note = "[not run by the embedded host: use func start for this trigger]"
    assert f"rabbit: rabbitMQTrigger  {note}" in table(app)
