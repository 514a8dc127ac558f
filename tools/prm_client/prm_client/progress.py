"""A progress bar on stderr (no dependency; tqdm is not needed)."""

import sys
import time


class Progress:
    """``with Progress(total, "import") as bar: bar.update(n)``. Draws only
    when ``enabled`` (by default when stderr is a terminal)."""

    def __init__(self, total, label="", enabled=None, stream=None, width=30):
        self.total = max(int(total or 0), 0)
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.width = width
        self.done = 0
        self.start = time.monotonic()
        self.note = ""

    def __enter__(self):
        self._draw()
        return self

    def __exit__(self, *exc):
        self.close()

    def update(self, count=1, note=None, total=None):
        self.done += count
        if total is not None:
            self.total = total
        if note is not None:
            self.note = note
        self._draw()

    def set(self, done, total=None, note=None):
        self.done = done
        self.update(0, note=note, total=total)

    def _draw(self):
        if not self.enabled:
            return
        total = self.total or 1
        share = min(self.done / total, 1.0) if self.total else 0.0
        filled = int(share * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        elapsed = time.monotonic() - self.start
        self.stream.write(
            f"\r{self.label} [{bar}] {self.done}/{self.total or '?'} "
            f"{elapsed:5.1f}s {self.note}"[:200]
        )
        self.stream.flush()

    def close(self):
        if self.enabled:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
            self.enabled = False
