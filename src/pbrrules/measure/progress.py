"""A one-line progress indicator on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Steps of a measurement, rewritten in place on a terminal; silent otherwise."""

    def __init__(self, steps: int, stream: TextIO | None = None, enabled: bool | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.steps = steps
        self.done = 0
        self.started = time.monotonic()

    def step(self, what: str) -> None:
        """Announce the next step."""
        self.done += 1
        if self.enabled:
            elapsed = time.monotonic() - self.started
            line = f"measuring [{self.done}/{self.steps}] {what} ({elapsed:.1f} s)"
            self.stream.write("\r\x1b[K" + line)
            self.stream.flush()

    def restart(self) -> None:
        """Count the steps from the first again (a measurement begun anew)."""
        self.done = 0

    def finish(self) -> None:
        """Clear the line."""
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
