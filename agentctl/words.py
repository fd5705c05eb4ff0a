"""The agents' words as they arrive: `token` events turned into running text.

Token events carry a piece of a step's reply (`detail.text`); pieces of one step are printed one
after the other, a new step starts a new line headed by its agent, and any other line (a step event,
a progress change) first ends the text in progress. A `restarted` piece means the step was retried
and its earlier words are void: the reader is told and the text starts again.
"""

from collections.abc import Callable

from agentctl.client import JsonObject

TOKEN = "token"
RESTART_NOTE = "(retried: the words above are replaced)"
REPLY_AGAIN_NOTE = "(another message was saved first: replying again, the words above are replaced)"


class WordStream:
    """Writes token text through `write` (no line breaks added but its own); `labels` heads each
    step's text with its agent's name."""

    def __init__(self, write: Callable[[str], None], labels: bool = True) -> None:
        self._write = write
        self._labels = labels
        self._step: str | None = None
        self._open = False
        self.texts: dict[str, str] = {}
        self._agents: dict[str, str] = {}

    def token(self, event: JsonObject) -> None:
        """Print one piece of a step's reply, starting the step's line when it is new."""
        detail = event.get("detail") or {}
        step, text = str(detail.get("step", "")), str(detail.get("text", ""))
        if detail.get("restarted"):
            self.end_line()
            self._write(f"{RESTART_NOTE}\n")
            self.texts[step] = ""
            self._step = None
        if step != self._step:
            self.end_line()
            if self._labels:
                self._write(f"{event.get('name', '')}: ")
            self._step = step
        self.texts[step] = self.texts.get(step, "") + text
        self._agents[step] = str(event.get("name", ""))
        self._write(text)
        self._open = True

    @property
    def open(self) -> bool:
        """Whether words were written since the last line break."""
        return self._open

    def line_ended(self) -> None:
        """Another writer ended the open line: the next words start a line of their own."""
        self._open = False
        self._step = None

    def end_line(self) -> None:
        """Finish the text in progress with a line break, so the next line starts clean."""
        if self._open:
            self._write("\n")
            self._open = False
        self._step = None

    def streamed(self, agent: str) -> str:
        """The words shown for the last step of `agent` (empty when none came)."""
        steps = [step for step, name in self._agents.items() if name == agent]
        return self.texts.get(steps[-1], "") if steps else ""
