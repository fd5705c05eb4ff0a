"""The project's source files: parsing them once and finding the file behind an import.

Only modules that resolve to a file under one of the search roots count as project
code; everything else (stdlib, site-packages) is external and is judged by name.
"""

import ast
from dataclasses import dataclass, field
from pathlib import Path

from replaycheck.report import Finding


@dataclass
class SourceFile:
    """A parsed project file, with its text kept for ignore comments."""

    path: Path
    source: str
    tree: ast.Module


@dataclass
class Project:
    """Parses files on demand and maps dotted module names to files under the roots."""

    roots: list[Path]
    files: dict[Path, SourceFile] = field(default_factory=dict)
    parse_errors: list[Finding] = field(default_factory=list)
    _unparsable: set[Path] = field(default_factory=set)

    def load(self, path: Path) -> SourceFile | None:
        """The parsed file, or None when it cannot be read or parsed (recorded as RC000)."""
        path = path.resolve()
        if path in self.files:
            return self.files[path]
        if path in self._unparsable:
            return None
        try:
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source, filename=str(path))
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError) as error:
            self._unparsable.add(path)
            line = getattr(error, "lineno", None) or 1
            col = getattr(error, "offset", None) or 1
            self.parse_errors.append(Finding(path, line, col, "RC000", f"cannot parse: {error}"))
            return None
        self.files[path] = SourceFile(path, source, tree)
        return self.files[path]

    def find_module(self, dotted: str) -> Path | None:
        """The file an absolute import `dotted` loads from the project, or None when it is external."""
        for root in self.roots:
            found = module_file(root, dotted)
            if found:
                return found
        return None

    def find_relative_module(self, origin: Path, level: int, dotted: str | None) -> Path | None:
        """The file a relative import (`from ..pkg import x`) in `origin` loads, or None."""
        base = origin.parent
        for _ in range(level - 1):
            base = base.parent
        return module_file(base, dotted) if dotted else package_init(base)

    def load_module(self, location: Path) -> SourceFile | None:
        """The source of a module location; namespace packages (folders) have none."""
        return None if location.is_dir() else self.load(location)


def module_file(base: Path, dotted: str) -> Path | None:
    """Where `a.b` lives under `base`: `a/b.py`, `a/b/__init__.py`, or the folder `a/b` itself
    (a namespace package, which has submodules but no names of its own)."""
    target = base.joinpath(*dotted.split("."))
    plain = target.with_name(target.name + ".py")
    if plain.is_file():
        return plain.resolve()
    return package_init(target)


def package_init(directory: Path) -> Path | None:
    """A package's `__init__.py`, the folder itself for a namespace package, or None."""
    if not directory.is_dir():
        return None
    init = directory / "__init__.py"
    return init.resolve() if init.is_file() else directory.resolve()


def submodule(location: Path, name: str) -> Path | None:
    """The submodule `name` of the package at `location`, or None for plain modules."""
    if location.is_dir():
        return module_file(location, name)
    if location.name == "__init__.py":
        return module_file(location.parent, name)
    return None
