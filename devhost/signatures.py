"""The Python worker's load-time checks of each function's signature against its bindings.

The worker indexes an app by checking every function before it serves any (azure_functions_worker/
functions.py, `Registry.add_function`): a parameter with no binding, a binding with no parameter, an
annotation that is not a type, or one its binding's converter does not accept, raises
`FunctionLoadError` and the whole app fails to index. The worker is not a dependency here (it brings
gRPC), so the checks are re-implemented from that source, with its messages, and use the same
converters it does (azure-functions' binding registry; the worker's GenericBinding for the rest).
Deferred-binding SDK types (azurefunctions-extensions-*) are not checked: their registry is not here.

One check only warns: a builtin generic such as `dict[str, Any]` is "invalid non-type annotation" to
the worker (its vendored typing_inspect knows typing.Dict[...] but not types.GenericAlias; worker
4.34, open issue Azure/azure-functions-durable-python#468), but a newer worker may accept it, so the
host reports it instead of refusing an app that may well run.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from typing import Any, cast

import azure.functions as func
from azure.functions import meta
from azure.functions._thirdparty import typing_inspect

from devhost.worker_converters import is_output

_RETURN = "$return"
# The worker vendors the same typing_inspect (azure_functions_worker/_thirdparty); it is unannotated.
_is_generic_type = cast(Callable[[Any], bool], typing_inspect.is_generic_type)
_get_args = cast(Callable[[Any], tuple[Any, ...]], typing_inspect.get_args)


class FunctionLoadError(RuntimeError):
    """The worker's error: `cannot load the <name> function: <reason>`."""

    def __init__(self, function_name: str, msg: str) -> None:
        super().__init__(f"cannot load the {function_name} function: {msg}")


def check_signatures(functions: list[Any]) -> list[str]:
    """Raise the worker's FunctionLoadError for the first function it would refuse to index.

    Returns the warnings about builtin generic annotations (see the module docstring).
    """
    warnings: list[str] = []
    for function in functions:
        check_signature(function, warnings)
    return warnings


def check_signature(function: Any, warnings: list[str]) -> None:
    """One function, in the order of Registry.add_function: parameters, annotations, return annotation."""
    name = function.get_function_name()
    user_function = function.get_user_function()
    params = dict(inspect.signature(user_function).parameters)
    annotations = typing.get_type_hints(user_function)
    bindings = {b.name: b for b in function.get_bindings()}
    returns = bindings.pop(_RETURN, None)
    if "context" in params and "context" not in bindings:
        params.pop("context")
        _check_context(annotations.get("context", func.Context), name)
    declared_only, bound_only = set(params) - set(bindings), set(bindings) - set(params)
    if declared_only:
        raise FunctionLoadError(
            name,
            f"the following parameters are declared in Python but not in function.json: {declared_only!r}",
        )
    if bound_only:
        raise FunctionLoadError(
            name, f"the following parameters are declared in function.json but not in Python: {bound_only!r}"
        )
    for param in params:
        if param in annotations:
            _check_parameter(param, annotations[param], bindings[param], name, warnings)
    if returns is not None and "return" in annotations:
        _check_return(annotations["return"], str(returns.type), name)


def _check_context(annotation: Any, name: str) -> None:
    if not isinstance(annotation, type) or annotation.__name__ != "Context":
        raise FunctionLoadError(
            name,
            f'the "context" parameter is expected to be of type azure.functions.Context, got {annotation!r}',
        )


def _out_type(annotation: Any) -> Any | None:
    """T of `func.Out[T]`, else None (functions.py: a generic whose origin is named `Out`)."""
    if not _is_generic_type(annotation):
        return None
    origin = typing_inspect.get_origin(annotation)  # type: ignore[no-untyped-call]
    if isinstance(origin, type) and origin.__name__ == "Out":
        args = _get_args(annotation)
        return args[0] if len(args) == 1 else None
    return None


def _check_parameter(param: str, annotation: Any, binding: Any, name: str, warnings: list[str]) -> None:
    """functions.py validate_function_params: the annotation must be a type its converter accepts."""
    out_type = _out_type(annotation)
    pytype = annotation if out_type is None else out_type
    if not isinstance(pytype, type) and not _is_generic_type(pytype):
        error = FunctionLoadError(name, f"binding {param} has invalid non-type annotation {annotation!r}")
        if not isinstance(pytype, types.GenericAlias):
            raise error
        warnings.append(
            f"{error} (so says Python worker 4.34 of builtin generics, Azure/azure-functions-durable-python"
            "#468; typing.Dict[...] or typing.List[...] load on every worker)"
        )
        return
    binding_is_out = is_output(binding)
    if binding_is_out and out_type is None:
        raise FunctionLoadError(
            name,
            f'binding {param} is declared to have the "out" direction, but its annotation in Python '
            "is not a subclass of azure.functions.Out",
        )
    if not binding_is_out and out_type is not None:
        raise FunctionLoadError(
            name,
            f'binding {param} is declared to have the "in" direction in function.json, but its '
            "annotation is azure.functions.Out in Python",
        )
    binding_type = str(binding.type)
    if pytype in (str, bytes) and not _has_implicit_output(binding_type):
        binding_type = "generic"
    try:
        accepted = (
            _accepts_output(binding_type, pytype)
            if out_type is not None
            else _accepts_input(binding_type, pytype)
        )
    except TypeError as error:  # a converter's issubclass() on a generic: the worker fails to index too
        raise FunctionLoadError(name, f"binding {param}: {error}") from error
    if not accepted:
        raise FunctionLoadError(
            name,
            f'type of {param} binding in function.json "{binding.type}" does not match its Python '
            f'annotation "{getattr(pytype, "__name__", pytype)}"',
        )


def _check_return(annotation: Any, binding_type: str, name: str) -> None:
    """functions.py get_function_return_type, for an explicit `$return` binding."""
    if _out_type(annotation) is not None:
        raise FunctionLoadError(name, "return annotation should not be azure.functions.Out")
    if not isinstance(annotation, type):
        raise FunctionLoadError(name, f"has invalid non-type return annotation {annotation!r}")
    if not _accepts_output(binding_type, annotation):
        raise FunctionLoadError(
            name,
            f'Python return annotation "{annotation.__name__}" does not match binding type "{binding_type}"',
        )


def _converter(binding_type: str) -> Any:
    """The registered converter (bindings/meta.py get_binding), None for the worker's GenericBinding."""
    return None if binding_type == "generic" else meta.get_binding_registry().get(binding_type)


def _has_implicit_output(binding_type: str) -> bool:
    converter = _converter(binding_type)
    return converter is not None and bool(getattr(converter, "has_implicit_output", lambda: False)())


def _accepts_input(binding_type: str, pytype: Any) -> bool:
    converter = _converter(binding_type)
    if converter is None:  # GenericBinding.check_input_type_annotation
        return isinstance(pytype, type) and issubclass(pytype, (str, bytes))
    return bool(converter.check_input_type_annotation(pytype))


def _accepts_output(binding_type: str, pytype: Any) -> bool:
    converter = _converter(binding_type)
    if converter is None:  # GenericBinding.check_output_type_annotation
        return isinstance(pytype, type) and issubclass(pytype, (str, bytes, bytearray))
    return bool(converter.check_output_type_annotation(pytype))
