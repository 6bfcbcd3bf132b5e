"""A child process for the kill tests: started ahead of time, held at "ready" until go() (so
that a kill lands in the work, not in Python's start-up), its lines read on a thread."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from contextlib import suppress
from pathlib import Path


class Child:
    def __init__(self, script: Path, *args: str, line_timeout_s: float = 30):
        self.proc = subprocess.Popen(
            [sys.executable, str(script), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=script.parent,
        )
        self.line_timeout_s = line_timeout_s
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []  # every line read so far
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.began = 0.0
        self.ended = False  # the end of its output has been read
        self.stopped = False

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def next_line(self) -> str | None:
        """The next line it printed; None once it has ended by itself."""
        try:
            line = self.lines.get(timeout=self.line_timeout_s)
        except queue.Empty:
            self.proc.kill()
            raise AssertionError("the child said nothing for too long") from None
        if line is None:
            self.ended = True
        else:
            self.seen.append(line)
        return line

    def line(self) -> str:
        """The next line, which it must print before it ends."""
        line = self.next_line()
        if line is None:
            self.proc.wait()
            raise AssertionError(f"the child stopped by itself:\n{self.proc.stderr.read()}")
        return line

    def go(self) -> None:
        ready = self.next_line()
        assert ready == "ready\n", f"the child did not start: {ready!r} {self.stop()}"
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        self.began = time.perf_counter()

    def stop(self) -> str:
        """SIGKILL it if it still runs, wait for it, keep every line it printed; its stderr."""
        if self.stopped:
            return ""
        self.stopped = True
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.reader.join()  # all it printed is read before its pipes close
        while not self.ended:
            self.next_line()
        stderr = self.proc.stderr.read()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            with suppress(BrokenPipeError):
                stream.close()
        return stderr

    def kill(self) -> list[str]:
        """SIGKILL it (it must still be running); every whole line it printed."""
        stderr = self.stop()
        assert self.proc.returncode == -signal.SIGKILL, stderr
        return [line for line in self.seen if line.endswith("\n")]  # a line cut short is not
