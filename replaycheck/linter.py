"""One lint run: discover what to check, run every check, drop ignored and duplicate findings."""

from dataclasses import dataclass
from pathlib import Path

from replaycheck.checks import check_function
from replaycheck.finder import discover
from replaycheck.project import Project
from replaycheck.report import Finding
from replaycheck.resolve import Resolver
from replaycheck.suppress import ignored_codes_by_line, is_ignored


@dataclass(frozen=True)
class LintResult:
    """What a run found and how much it looked at (for the summary and --min-orchestrators)."""

    findings: list[Finding]
    orchestrators: int
    helpers: int
    files: int


def lint(entry_files: list[Path], roots: list[Path]) -> LintResult:
    """Check the orchestrators reachable from `entry_files`; imports resolve under `roots`."""
    project = Project([root.resolve() for root in roots])
    found = discover(entry_files, Resolver(project))
    findings: set[Finding] = set()
    for is_orchestrator, scopes in ((True, found.orchestrators), (False, found.helpers)):
        for scope in scopes.values():
            findings.update(check_function(scope, is_orchestrator))
    findings.update(project.parse_errors)
    ignored = {path: ignored_codes_by_line(source.source) for path, source in project.files.items()}
    kept = [
        finding
        for finding in findings
        if not is_ignored(ignored.get(finding.path, {}), finding.line, finding.code)
    ]
    return LintResult(kept, len(found.orchestrators), len(found.helpers), len(found.files))
