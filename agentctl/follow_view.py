"""What a user sees while a run is followed: a live bar, plain lines, or JSON lines.

The live view is for terminals (a progress bar with the current step, events scrolling
above it, the words of the running step at the end of the bar as they arrive). The plain
view writes one line per event and per progress change, and the agents' words inline as
they arrive, for pipes and logs. The JSON view writes each event as one JSON line
(`events --follow --json`), tokens included.
Notices about reconnecting, and the command that answers a run waiting for a person (once
per thing it waits on), always go to the notice stream (stderr) so they never mix with data
on stdout.
"""

from abc import ABC, abstractmethod
from types import TracebackType

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from agentctl.client import JsonObject
from agentctl.output import Output, printable
from agentctl.views import EVENT_STYLES, event_text, progress_text, show_event, waiting_for_people
from agentctl.words import REPLY_AGAIN_NOTE, TOKEN, WordStream

# How much of the running step's words the live bar shows after the step.
LIVE_WORDS = 60


class FollowView(ABC):
    """Receives what a `RunFollower` observes; a context manager so a live display is torn down."""

    def __init__(self, out: Output, notices: Output) -> None:
        self.out = out
        self.notices = notices
        self._waits_told: set[str] = set()

    def __enter__(self) -> "FollowView":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    @abstractmethod
    def events(self, events: list[JsonObject]) -> None:
        """New events, in `seq` order, each reported once."""

    @abstractmethod
    def progress(self, run: JsonObject) -> None:
        """The latest run document; views show its status and `progress`."""

    def notice(self, text: str) -> None:
        """A line for the reader (a reconnect, how to answer a wait), on a line of its own even mid-reply."""
        words = self._word_stream()
        if words is not None and words.open and self.out.shares_destination(self.notices):
            self.notices.write("\n")
            words.line_ended()
        self.notices.line(text, "yellow")

    def _word_stream(self) -> WordStream | None:
        """The words this view prints on `out`, if it prints any."""
        return None

    def _tell_how_to_answer(self, run: JsonObject) -> None:
        """Say once per wait how to answer a run that waits for a person: the follow waits with it."""
        for wait, command in waiting_for_people(run).items():
            if wait not in self._waits_told:
                self._waits_told.add(wait)
                self.notice(command)


class WordsAndEventsView(FollowView):
    """Shows the agents' words as they arrive (`_words`) and every other event on a line of its own."""

    _words: WordStream

    def _word_stream(self) -> WordStream | None:
        return self._words

    def events(self, events: list[JsonObject]) -> None:
        for event in events:
            if event.get("type") == TOKEN:
                self._words.token(event)
                continue
            self._words.end_line()
            self._show_event(event)

    @abstractmethod
    def _show_event(self, event: JsonObject) -> None:
        """One event that is not a word."""


class PlainFollowView(WordsAndEventsView):
    """One line per event; a `[status] step i/n · last` line whenever status or progress changes."""

    def __init__(self, out: Output, notices: Output) -> None:
        super().__init__(out, notices)
        self._last_shown = ""
        self._words = WordStream(out.write)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._words.end_line()

    def _show_event(self, event: JsonObject) -> None:
        show_event(self.out, event)

    def progress(self, run: JsonObject) -> None:
        text = f"[{run.get('status')}] {progress_text(run.get('progress'))}".rstrip()
        if text != self._last_shown:
            self._last_shown = text
            self._words.end_line()
            self.out.line(text, "dim")
        self._tell_how_to_answer(run)


class LiveFollowView(WordsAndEventsView):
    """A progress bar for the current step, with events printed above it as they arrive."""

    def __init__(self, out: Output, notices: Output) -> None:
        super().__init__(out, notices)
        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}", markup=False),  # the description holds a model's words
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=out.console,
            transient=True,
        )
        self._task = self._bar.add_task("starting", total=None)
        self._status = "starting"
        self._line = ""
        self._words = WordStream(self._show_words)

    def __enter__(self) -> "FollowView":
        self._bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._bar.stop()

    def _show_event(self, event: JsonObject) -> None:
        self._bar.console.print(self.out.text(event_text(event), EVENT_STYLES.get(str(event.get("type")))))

    def progress(self, run: JsonObject) -> None:
        progress = run.get("progress") or {}
        self._status = f"{run.get('status')} {progress_text(progress)}".strip()
        total = progress.get("of") or None
        # `index` is the 1-based step now running, so the steps before it are the ones done.
        done = total if run.get("status") == "Completed" else max(int(progress.get("index") or 0) - 1, 0)
        self._bar.update(
            self._task, description=self._description(), total=total, completed=done, refresh=True
        )
        self._tell_how_to_answer(run)

    def _show_words(self, text: str) -> None:
        """Whole lines of words scroll above the bar; the line being written stays on the step line."""
        self._line += text
        while "\n" in self._line:
            done, self._line = self._line.split("\n", 1)
            if done:
                self._bar.console.print(self.out.text(done))
        self._bar.update(self._task, description=self._description(), refresh=True)

    def _description(self) -> str:
        words = " ".join(self._line.split())[-LIVE_WORDS:]
        return printable(f"{self._status} › {words}" if words else self._status)

    def notice(self, text: str) -> None:
        self._bar.console.print(self.out.text(text, "yellow"))


class JsonFollowView(FollowView):
    """Each event as one JSON line on `out`; progress is not data, so it is not written."""

    def events(self, events: list[JsonObject]) -> None:
        for event in events:
            self.out.json_line(event)

    def progress(self, run: JsonObject) -> None:
        return None


def human_follow_view(out: Output, notices: Output) -> FollowView:
    """The live bar on a terminal, plain lines anywhere else."""
    return LiveFollowView(out, notices) if out.interactive else PlainFollowView(out, notices)


class ReplyFollowView(FollowView):
    """Shows only one agent's words as they arrive (a chat turn's reply), and notices of reconnects.

    A second step of that agent is a new reply: a session turn whose conversation changed under it
    (another message was saved first) replies again, and only the last reply is kept. The reader is
    told that the words above it are replaced."""

    def __init__(self, out: Output, notices: Output, agent: str, style: str) -> None:
        super().__init__(out, notices)
        self.agent = agent
        self.words = WordStream(lambda text: out.write(text, style), labels=False)
        self._reply_step: str | None = None

    def events(self, events: list[JsonObject]) -> None:
        for event in events:
            if event.get("type") == TOKEN and event.get("name") == self.agent:
                step = str((event.get("detail") or {}).get("step", ""))
                if self._reply_step is not None and step != self._reply_step:
                    self.words.end_line()
                    self.out.line(REPLY_AGAIN_NOTE)
                self._reply_step = step
                self.words.token(event)

    def progress(self, run: JsonObject) -> None:
        return None

    def _word_stream(self) -> WordStream | None:
        return self.words
