"""Failures the CLI reports to the user, each with the exit code a script can branch on.

Every error that reaches `main()` is one of these; anything else is a bug and may show
a traceback. The codes are the CLI's contract: 0 success, 1 the run (or the operation)
failed, 2 usage error, 3 API unreachable, 4 not found, 130 stopped with Ctrl-C (the run goes on).
"""

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_NOT_FOUND = 4
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped with Ctrl-C


class CliError(Exception):
    """An error shown to the user as one line on stderr, then the process exits with `exit_code`."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageProblem(CliError):
    """The user's arguments or settings cannot work (bad URL, bad input, API said 400/422)."""

    exit_code = EXIT_USAGE


class ApiUnreachable(CliError):
    """No HTTP answer came back: refused, timed out or the connection dropped mid-request."""

    exit_code = EXIT_UNREACHABLE


class ApiError(CliError):
    """The API answered with an error status; `code` is its machine-readable error code."""

    def __init__(self, message: str, *, status: int, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        if status == 404:
            self.exit_code = EXIT_NOT_FOUND
        elif status in (400, 422):
            self.exit_code = EXIT_USAGE

    @property
    def retryable(self) -> bool:
        """Worth retrying for the idempotent reads of a follow: the server side failed, maybe briefly.

        A host that is stopping or restarting answers in-flight long polls with 500/503, and a
        gateway in front of it with 502/504; the next attempt usually reaches the new host.
        """
        return self.status >= 500
