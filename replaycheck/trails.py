"""How an orchestrator reaches a helper's finding, so the finding points back at the
orchestrator line that has to change.

A finding deep in `storage/` says nothing about which workflow runs that code; with the
trail (`reached from orchestrator single via orchestrators/single.py:22 run_agent() → ...`)
it does. Each orchestrator line that leads to helper findings also gets one finding of
its own, so a reader of the orchestrator's file sees it there too.
"""

import ast
from dataclasses import replace
from pathlib import Path

from replaycheck.finder import Discovery, Hop
from replaycheck.report import Finding, display_path

Key = tuple[Path, int]


def traced(found: Discovery, helper_findings: dict[Key, list[Finding]], root: Path) -> list[Finding]:
    """The helpers' findings, each with its trail, plus one finding per orchestrator line leading there."""
    result: list[Finding] = []
    leads: dict[tuple[Key, Hop], list[Finding]] = {}
    for helper, findings in helper_findings.items():
        reachers = [key for key, route in found.routes.items() if helper in route]
        if not findings or not reachers:
            result.extend(findings)
            continue
        trail = describe_chain(found, reachers[0], helper, root)
        result.extend(replace(finding, trail=trail) for finding in findings)
        for orchestrator in reachers:
            first = chain(found, orchestrator, helper)[0]
            leads.setdefault((orchestrator, first), []).extend(findings)
    result.extend(lead_finding(found, hop, findings, root) for (_, hop), findings in leads.items())
    return result


def chain(found: Discovery, orchestrator: Key, helper: Key) -> list[Hop]:
    """The hops from the orchestrator to the helper, in call order."""
    route = found.routes[orchestrator]
    hops: list[Hop] = []
    key = helper
    while key != orchestrator:
        hops.append(route[key])
        key = route[key].caller
    return hops[::-1]


def describe_chain(found: Discovery, orchestrator: Key, helper: Key, root: Path) -> str:
    """`reached from orchestrator single via orchestrators/single.py:22 run_agent() → ...`."""
    name = found.orchestrators[orchestrator].node.name
    steps = " → ".join(describe_hop(found, hop, root) for hop in chain(found, orchestrator, helper))
    return f"reached from orchestrator {name} via {steps}"


def describe_hop(found: Discovery, hop: Hop, root: Path) -> str:
    """One hop as `path:line name()` (without the parentheses when the function is not called there)."""
    return f"{display_path(hop.path, root)}:{hop.node.lineno} {written(found, hop)}"


def written(found: Discovery, hop: Hop) -> str:
    """The name as the caller wrote it, with `()` when the caller calls it."""
    caller = found.orchestrators.get(hop.caller) or found.helpers.get(hop.caller)
    parent = caller.parents.get(hop.node) if caller else None
    called = isinstance(parent, ast.Call) and parent.func is hop.node
    return ast.unparse(hop.node) + ("()" if called else "")


def lead_finding(found: Discovery, hop: Hop, findings: list[Finding], root: Path) -> Finding:
    """The one finding at an orchestrator line that leads to helper findings."""
    codes = sorted({finding.code for finding in findings})
    first = min(findings, key=lambda finding: finding.sort_key(root))
    message = (
        f"`{written(found, hop)}` leads to {len(findings)} finding(s) in helpers ({', '.join(codes)}; "
        f"first at {display_path(first.path, root)}:{first.line})"
    )
    return Finding.at(hop.path, hop.node, codes[0], message)
