"""Benchmarks stand on their own: nothing under bench/ imports the test suite (which may change freely)."""

import ast
from pathlib import Path

from bench.template_host import PROJECT_ROOT


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_benchmark_module_imports_tests() -> None:
    sources = sorted((PROJECT_ROOT / "bench").rglob("*.py"))
    assert sources
    offenders = {
        str(path.relative_to(PROJECT_ROOT)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] == "tests"
        )
        for path in sources
    }
    assert {path: names for path, names in offenders.items() if names} == {}
