"""One lint run: discover what to check, run every check, drop ignored and duplicate findings,
and give helper findings the trail from the orchestrator that reaches them."""

from dataclasses import dataclass
from pathlib import Path

from replaycheck.checks import activities, check_function
from replaycheck.finder import Discovery, discover
from replaycheck.project import Project
from replaycheck.registrations import Registration
from replaycheck.report import Finding
from replaycheck.resolve import Resolver
from replaycheck.scope import FunctionScope
from replaycheck.suppress import ignored_codes_by_line, is_ignored
from replaycheck.trails import traced


@dataclass(frozen=True)
class LintResult:
    """What a run found and how much it looked at (for the summary and --min-orchestrators)."""

    findings: list[Finding]
    unresolved: list[Registration]
    orchestrators: int
    helpers: int
    files: int


def lint(entry_files: list[Path], roots: list[Path]) -> LintResult:
    """Check the orchestrators reachable from `entry_files`; imports resolve under `roots`."""
    project = Project([root.resolve() for root in roots])
    found = discover(entry_files, Resolver(project))
    ignored = {path: ignored_codes_by_line(source.source) for path, source in project.files.items()}

    def kept(findings: list[Finding]) -> list[Finding]:
        return [f for f in dict.fromkeys(findings) if not is_ignored(ignored.get(f.path, {}), f.line, f.code)]

    findings = [
        finding for scope in found.orchestrators.values() for finding in findings_of(scope, True, found)
    ]
    helper_findings = {key: kept(findings_of(scope, False, found)) for key, scope in found.helpers.items()}
    findings += traced(found, helper_findings, project.roots[0])
    result = kept(findings + project.parse_errors)
    return LintResult(
        result, found.unresolved, len(found.orchestrators), len(found.helpers), len(found.files)
    )


def findings_of(scope: FunctionScope, is_orchestrator: bool, found: Discovery) -> list[Finding]:
    """Every check's findings for one orchestrator or helper."""
    return [*check_function(scope, is_orchestrator), *activities.check(scope, found.activities)]
