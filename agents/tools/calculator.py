"""`calculator`: exact arithmetic on an expression, evaluated from its syntax tree (never `eval`)."""

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from agents.tools.base import ToolContext, ToolSpec

_BINARY: dict[type[ast.operator], Callable[[float, float], float | complex]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[float], float]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}
# Bounds that keep one request from tying up a worker (2 ** 10 ** 9 is a valid expression).
MAX_EXPRESSION_CHARS = 200
MAX_EXPONENT = 100
MAX_MAGNITUDE = 10**30


class CalculatorArguments(BaseModel):
    """Arguments of `calculator`."""

    expression: str = Field(
        min_length=1,
        max_length=MAX_EXPRESSION_CHARS,
        description="an arithmetic expression with + - * / // % ** and parentheses, e.g. (17 * 23) + 4",
    )


class CalculationError(ValueError):
    """The expression is not plain arithmetic or its value is out of bounds."""


def evaluate(expression: str) -> int | float:
    """The value of an arithmetic expression; raises `CalculationError` for anything else."""
    text = expression.strip().replace("×", "*").replace("÷", "/").replace("^", "**")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise CalculationError(f"not an arithmetic expression: {expression!r}") from None
    return _value(tree.body)


def _value(node: ast.expr) -> int | float:
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        return _in_range(node.value)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_value(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _value(node.left), _value(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise CalculationError(f"exponent {right} is larger than {MAX_EXPONENT}")
        try:
            result = _BINARY[type(node.op)](left, right)
        except ZeroDivisionError:
            raise CalculationError("division by zero") from None
        except OverflowError:
            raise CalculationError("result is out of range") from None
        if isinstance(result, complex):
            raise CalculationError("result is out of range")
        return _in_range(result)
    raise CalculationError(f"unsupported element in expression: {ast.unparse(node)!r}")


def _in_range(value: int | float) -> int | float:
    """`value` when finite and within MAX_MAGNITUDE: a literal such as `1e999` is infinity, and
    infinity or NaN in a tool result is not JSON (the run API would show it as null)."""
    if (isinstance(value, float) and not math.isfinite(value)) or abs(value) > MAX_MAGNITUDE:
        raise CalculationError("result is out of range")
    return value


def _tidy(value: int | float) -> int | float:
    """Whole floats print as integers (6 / 3 is 2, not 2.0); others keep 12 significant digits."""
    if isinstance(value, float) and math.isfinite(value):
        return int(value) if value.is_integer() else round(value, 12)
    return value


def calculate(arguments: CalculatorArguments, context: ToolContext) -> dict[str, Any]:
    """Run `calculator`: `{"expression", "value"}`, or `{"error"}` the model can act on."""
    try:
        return {"expression": arguments.expression, "value": _tidy(evaluate(arguments.expression))}
    except CalculationError as error:
        return {"error": str(error), "expression": arguments.expression}


SPEC = ToolSpec(
    name="calculator",
    description="Evaluate an arithmetic expression exactly. Use it for any calculation.",
    arguments=CalculatorArguments,
    run=calculate,
)
