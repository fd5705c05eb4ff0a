"""`# replaycheck: ignore[RC001,RC005]` comments: silence chosen codes on one line.

Comments are read with `tokenize`, so the marker inside a string literal does not
silence anything. A bare `# replaycheck: ignore` silences every code on its line.
"""

import io
import re
import tokenize

IGNORE_ALL = frozenset({"*"})
_MARKER = re.compile(r"#\s*replaycheck:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)


def ignored_codes_by_line(source: str) -> dict[int, frozenset[str]]:
    """Map each line carrying an ignore comment to the codes it silences (IGNORE_ALL for all)."""
    ignored: dict[int, frozenset[str]] = {}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return ignored
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        match = _MARKER.search(token.string)
        if not match:
            continue
        codes = match.group("codes")
        line = token.start[0]
        if codes is None:
            ignored[line] = IGNORE_ALL
        else:
            ignored[line] = frozenset(code.strip().upper() for code in codes.split(",") if code.strip())
    return ignored


def is_ignored(ignored: dict[int, frozenset[str]], line: int, code: str) -> bool:
    """True when an ignore comment on `line` covers `code`."""
    codes = ignored.get(line)
    return codes is not None and (codes is IGNORE_ALL or code in codes)
