"""Parsed views of infra/ for the offline infrastructure checks.

There is no Azure access and no Bicep compiler here, so the checks read the Bicep through
pycep-parser's JSON tree. Two quirks of that tree shape the helpers: identifiers and string
literals both come out as plain strings (``scope: storageAccount`` and ``name: 'x'`` look alike),
and ``a.b.c`` comes out as nested ``property_accessor`` operators. ``dotted`` folds the latter back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from pycep import BicepParser

REPO_ROOT = Path(__file__).resolve().parents[2]
INFRA_DIR = REPO_ROOT / "infra"


def _body(statement: dict[str, Any]) -> dict[str, Any]:
    """The object a resource/module statement declares, through any loop or `if` condition."""
    config = statement["config"]
    while isinstance(config, dict) and ("loop_type" in config or "condition" in config):
        config = config["config"]
    return config


def _condition(statement: dict[str, Any]) -> Any:
    """The `if (...)` condition of a resource/module statement, or None when unconditional."""
    config = statement["config"]
    return config.get("condition") if isinstance(config, dict) else None


def _dotted(value: Any) -> str | None:
    """``a.b.c`` for a property-accessor chain (or a bare identifier), else None."""
    if isinstance(value, str):
        return value
    operator = value.get("operator") if isinstance(value, dict) else None
    if not operator or operator["type"] != "property_accessor":
        return None
    left, right = _dotted(operator["operands"]["operand_1"]), _dotted(operator["operands"]["operand_2"])
    return f"{left}.{right}" if left and right else None


def _walk(value: Any) -> Iterator[Any]:
    """Every node of a pycep subtree, depth first (dict keys included, as strings)."""
    yield value
    if isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from _walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from _walk(child)


def _strings_in(value: Any) -> set[str]:
    """All string leaves and keys of a subtree: literals, identifiers and interpolations alike."""
    return {node for node in _walk(value) if isinstance(node, str)}


def _unquote(key: str) -> str:
    """pycep keeps the quotes of quoted object keys (``'azd-env-name'``); drop them."""
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] == "'" else key


@dataclass(frozen=True)
class BicepFile:
    """One parsed .bicep file: its path relative to infra/, raw text and pycep tree."""

    rel: str
    text: str
    tree: dict[str, Any]

    @property
    def parameters(self) -> dict[str, Any]:
        return self.tree.get("parameters", {})

    @property
    def variables(self) -> dict[str, Any]:
        return {name: spec["value"] for name, spec in self.tree.get("variables", {}).items()}

    @property
    def outputs(self) -> dict[str, Any]:
        return self.tree.get("outputs", {})

    @property
    def modules(self) -> dict[str, Any]:
        return self.tree.get("modules", {})

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """Resources of one ARM type (case-insensitive), keyed by symbolic name."""
        return {
            symbol: spec
            for symbol, spec in self.tree.get("resources", {}).items()
            if spec["type"].lower() == resource_type.lower()
        }

    def only_resource(self, resource_type: str) -> dict[str, Any]:
        """The single resource of a type; fails naming the file when there are none or several."""
        found = self.resources(resource_type)
        assert len(found) == 1, f"{self.rel}: expected one {resource_type}, found {sorted(found)}"
        return next(iter(found.values()))

    def module(self, path: str) -> dict[str, Any]:
        """The module statement that deploys ``path`` (relative to infra/)."""
        found = [spec for spec in self.modules.values() if spec["detail"]["path"] == path]
        assert len(found) == 1, f"{self.rel}: expected one module '{path}', found {len(found)}"
        return found[0]

    def described_parameters(self) -> dict[str, str]:
        """Each parameter mapped to its @description text ('' when it has none)."""
        described = {}
        for name, spec in self.parameters.items():
            texts = [d["argument"] for d in spec["decorators"] if d["type"] == "description"]
            described[name] = texts[0].strip() if texts and isinstance(texts[0], str) else ""
        return described

    # Tree helpers, reached through the fixtures so test modules import nothing from here.
    body = staticmethod(_body)
    condition = staticmethod(_condition)
    dotted = staticmethod(_dotted)
    walk = staticmethod(_walk)
    strings_in = staticmethod(_strings_in)
    unquote = staticmethod(_unquote)


@pytest.fixture(scope="session")
def bicep_files() -> dict[str, BicepFile]:
    """Every .bicep under infra/, parsed once, keyed by path relative to infra/."""
    parser = BicepParser()
    parsed = {}
    for path in sorted(INFRA_DIR.rglob("*.bicep")):
        rel = path.relative_to(INFRA_DIR).as_posix()
        text = path.read_text(encoding="utf-8")
        try:
            tree = parser.parse(text=text)
        except Exception as error:  # pycep raises lark errors of several classes
            pytest.fail(f"infra/{rel} does not parse: {error}")
        parsed[rel] = BicepFile(rel=rel, text=text, tree=tree)
    assert "main.bicep" in parsed, f"no main.bicep under {INFRA_DIR}"
    return parsed


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def infra_dir() -> Path:
    return INFRA_DIR


@pytest.fixture(scope="session")
def main_bicep(bicep_files: dict[str, BicepFile]) -> BicepFile:
    return bicep_files["main.bicep"]


@pytest.fixture(scope="session")
def azure_yaml() -> dict[str, Any]:
    return yaml.safe_load((REPO_ROOT / "azure.yaml").read_text(encoding="utf-8"))
