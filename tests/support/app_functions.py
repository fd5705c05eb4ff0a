"""The template app's indexed functions, shared by every test that reads them.

azure-functions indexes an app once per process (a second `get_functions()` refuses the names it
already saw), so tests that read the wiring must share one indexing.
"""

import functools

from azure.functions.decorators.function_app import Function

import function_app


@functools.cache
def app_functions() -> tuple[Function, ...]:
    """Every function `function_app.app` registers, as the worker indexes them for the host."""
    return tuple(function_app.app.get_functions())
