"""A valid input for a workflow nobody wrote one for: built from its catalog input model.

The recorder has hand-written inputs for the template's workflows (tests/replay/record.py). A
workflow a user adds gets this one, so its real run can be recorded and replayed without any edit
to the tests: each required field gets the simplest value its schema allows (a short text, the
minimum number, false, the first allowed value), optional fields keep their defaults.
"""

from typing import Any

from pydantic import ValidationError

from api.catalog import WORKFLOWS

TEXT = "durable agents"


def example_workflow_input(workflow: str) -> dict[str, Any]:
    """An input `POST /api/runs/{workflow}` accepts; fails naming the field it cannot fill."""
    model = WORKFLOWS[workflow].input_model
    schema = model.model_json_schema()
    definitions = schema.get("$defs", {})
    given = {
        name: _value(field, definitions)
        for name, field in schema.get("properties", {}).items()
        if name in schema.get("required", [])
    }
    try:
        model.model_validate(given)
    except ValidationError as error:
        raise ValueError(
            f"cannot make an example input for '{workflow}' ({error.errors()[0]['loc']}): add one to "
            "INPUTS in tests/replay/record.py"
        ) from error
    return given


def _value(field: dict[str, Any], definitions: dict[str, Any]) -> Any:
    """The simplest value `field` allows."""
    if "$ref" in field:
        field = definitions.get(field["$ref"].rsplit("/", 1)[-1], {})
    if "default" in field:
        return field["default"]
    if field.get("enum"):
        return field["enum"][0]
    options = [option for option in field.get("anyOf", []) if option.get("type") != "null"]
    if options:
        return _value(options[0], definitions)
    kind = field.get("type")
    if kind == "string":
        return TEXT[: field.get("maxLength", len(TEXT))].ljust(field.get("minLength", 0), "x")
    if kind in ("integer", "number"):
        return field.get("minimum", field.get("exclusiveMinimum", 0) + 1)
    if kind == "boolean":
        return False
    if kind == "array":
        return [_value(field.get("items", {}), definitions) for _ in range(field.get("minItems", 0))]
    if kind == "object":
        return {
            name: _value(sub, definitions)
            for name, sub in field.get("properties", {}).items()
            if name in field.get("required", [])
        }
    return None
