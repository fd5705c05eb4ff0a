"""The rule table: every code replaycheck can report, what it means and how to fix it.

Codes are stable so `# replaycheck: ignore[RCnnn]` comments keep working across
versions; the API tables map fully qualified names (after import aliases are
resolved) to the code that a use of them violates.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One determinism rule: its code, a short name, what it catches and the fix."""

    code: str
    name: str
    summary: str
    hint: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("RC000", "parse-error", "a project file could not be parsed", "fix the syntax error"),
        Rule(
            "RC001",
            "wall-clock",
            "reads the wall clock (datetime.now/today, date.today, time.time, localtime, strftime, ...)",
            "use context.current_utc_datetime, which is replayed from history",
        ),
        Rule(
            "RC002",
            "sleep",
            "blocks with time.sleep / asyncio.sleep",
            "yield context.create_timer(context.current_utc_datetime + timedelta(...))",
        ),
        Rule(
            "RC003",
            "random",
            "draws random values (random.*, secrets.*, os.urandom; a seeded random.Random(seed) is fine)",
            "derive values from context.new_uuid() or draw them in an activity",
        ),
        Rule("RC004", "uuid", "creates a random uuid (uuid.uuid1/uuid4)", "use context.new_uuid()"),
        Rule(
            "RC005",
            "environment",
            "reads or writes the process environment (os.environ, os.getenv, os.putenv)",
            "read settings in an activity or pass them in the orchestration input",
        ),
        Rule(
            "RC006",
            "io",
            "does file, database or network I/O (open, pathlib, sqlite3, requests, httpx, urllib.request, "
            "socket, subprocess, aiohttp, openai, Azure Storage/Tables/Cosmos clients)",
            "move the I/O into an activity and yield context.call_activity(...)",
        ),
        Rule(
            "RC007",
            "async-orchestrator",
            "the orchestrator is an `async def`; the SDK only drives generator functions",
            "write a plain `def` generator that yields context tasks",
        ),
        Rule(
            "RC008",
            "threads",
            "starts threads or executors (threading, concurrent.futures, multiprocessing)",
            "fan out with yield context.task_all([...]) over activities",
        ),
        Rule(
            "RC009",
            "set-iteration",
            "iterates a set, whose order differs between processes",
            "iterate sorted(...) or keep the items in a list or dict",
        ),
        Rule(
            "RC010",
            "global-mutation",
            "mutates module globals, which outlive one replay and leak between instances",
            "keep state in locals, the orchestration input/output or an entity",
        ),
        Rule(
            "RC011",
            "generator-call",
            "calls a generator helper without `yield from`, so the SDK never sees its tasks",
            "write `result = yield from helper(...)`",
        ),
        Rule(
            "RC012",
            "nested-yield",
            "yields inside a nested def, lambda or comprehension that the SDK does not drive",
            "yield only in the orchestrator itself or in helpers called with `yield from`",
        ),
        Rule(
            "RC013",
            "activity-call",
            "calls a registered activity function directly, so it runs again on every replay",
            'yield context.call_activity("<name>", ...)',
        ),
        Rule(
            "RC014",
            "salted-hash",
            "uses the builtin hash(), which is salted per process for str and bytes",
            "use a stable digest such as hashlib.sha256(text.encode()).hexdigest()",
        ),
    )
}

# Qualified name (or dotted prefix) -> (code, what the use does). A use matches when its
# resolved name equals the key or starts with the key plus a dot.
API_RULES: dict[str, tuple[str, str]] = {
    **{f"datetime.datetime.{name}": ("RC001", "reads the wall clock") for name in ("now", "utcnow", "today")},
    "datetime.date.today": ("RC001", "reads the wall clock"),
    **{
        f"time.{name}{suffix}": ("RC001", "reads the clock")
        for name in ("time", "monotonic", "perf_counter", "process_time", "thread_time", "clock_gettime")
        for suffix in ("", "_ns")
    },
    **{
        f"time.{name}": ("RC001", "reads the clock")
        for name in ("localtime", "gmtime", "ctime", "asctime", "strftime")
    },
    "hash": ("RC014", "is salted per process for str and bytes"),
    "time.sleep": ("RC002", "blocks the orchestrator thread"),
    "asyncio.sleep": ("RC002", "sleeps outside the durable timer"),
    "random": ("RC003", "draws a random value"),
    "secrets": ("RC003", "draws a random value"),
    "os.urandom": ("RC003", "draws random bytes"),
    "numpy.random": ("RC003", "draws a random value"),
    "uuid.uuid1": ("RC004", "creates a new uuid on every replay"),
    "uuid.uuid4": ("RC004", "creates a new uuid on every replay"),
    **{
        f"os.{name}": ("RC005", "touches the process environment")
        for name in ("environ", "environb", "getenv", "getenvb", "putenv", "unsetenv")
    },
    **{
        name: ("RC006", "does file I/O")
        for name in (
            *("open", "io.open", "os.open", "os.listdir", "os.scandir", "os.walk", "shutil", "glob"),
            *(f"os.path.{name}" for name in ("exists", "isfile", "isdir", "getsize", "getmtime")),
        )
    },
    **{
        name: ("RC006", "does network I/O")
        for name in (
            *("requests", "httpx", "urllib.request", "urllib.robotparser", "urllib3", "socket", "aiohttp"),
            *("http.client", "openai", "azure.storage", "azure.data.tables", "azure.cosmos"),
        )
    },
    "sqlite3": ("RC006", "does database I/O"),
    **{
        name: ("RC006", "runs a process")
        for name in ("subprocess", "os.system", "os.popen", "asyncio.create_subprocess_exec")
    },
    "threading": ("RC008", "starts threads"),
    "concurrent.futures": ("RC008", "runs work on an executor"),
    "multiprocessing": ("RC008", "starts processes"),
    "asyncio.to_thread": ("RC008", "runs work on a thread"),
}

# Clock readers that are pure when given the time to work on: name -> index of that argument.
# localtime and ctime are left out: even with a time they depend on the host's zone.
TIME_ARGUMENT: dict[str, int] = {"time.strftime": 1, "time.asctime": 0, "time.gmtime": 0}

# pathlib.Path methods that only ever do I/O, whatever the receiver is called.
PATH_IO_METHODS = frozenset({"read_text", "read_bytes", "write_text", "write_bytes"})
# Methods that do I/O when the receiver is known to be a pathlib path.
PATH_IO_METHODS_ON_PATHS = frozenset(
    {"open", "exists", "is_file", "is_dir", "iterdir", "glob", "rglob", "stat", "mkdir", "touch", "unlink"}
    | {"rmdir", "rename", "replace", "resolve", "samefile", "chmod", "symlink_to"}
)


def match_api(qualname: str) -> tuple[str, str] | None:
    """Return (code, what it does) when a resolved name is a non-deterministic API, else None."""
    parts = qualname.split(".")
    for end in range(len(parts), 0, -1):
        found = API_RULES.get(".".join(parts[:end]))
        if found:
            return found
    return None


def format_rule_table() -> str:
    """The `--list-rules` output: one rule per line, code, name, what it catches and the fix."""
    width = max(len(rule.name) for rule in RULES.values())
    return "\n".join(
        f"{rule.code}  {rule.name:<{width}}  {rule.summary}\n{'':>{9 + width}}fix: {rule.hint}"
        for rule in RULES.values()
    )
