"""`--exec CMD` and `--bell`: tell someone outside the terminal that a story moved.

CMD runs through the shell once per new version with the version's summary as
JSON on stdin (the bridge to mail, chat or a pager). Hooks run one at a time on
their own thread, so a slow hook never holds up ingest; one that fails or
outlives its timeout is logged (its whole process group is killed) and the
watcher carries on.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from typing import Any

from versions.watch.events import EventLog

DEFAULT_TIMEOUT_S = 30.0
STDERR_TAIL = 500


class HookRunner:
    def __init__(self, command: str, log: EventLog, *, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self.command = command
        self.timeout = timeout
        self._log = log
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="wirediff-hooks", daemon=True)
        self._thread.start()

    def submit(self, payload: dict[str, Any]) -> None:
        self._queue.put(payload)

    def close(self, *, wait: bool = True) -> None:
        """Run the hooks already queued (each within its timeout), then stop."""
        self._queue.put(None)
        if wait:
            self._thread.join()

    def _run(self) -> None:
        while (payload := self._queue.get()) is not None:
            self.run_once(payload)

    def run_once(self, payload: dict[str, Any]) -> bool:
        """Run CMD on one payload; False (and an event) when it failed or timed out."""
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        where = {"story": payload.get("story"), "version": payload.get("version")}
        try:
            process = subprocess.Popen(
                self.command,
                shell=True,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            self._log.emit("hook_error", command=self.command, reason=str(exc), **where)
            return False
        try:
            _, stderr = process.communicate(data, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            self._log.emit(
                "hook_error",
                command=self.command,
                reason=f"timed out after {self.timeout:g} s; killed",
                **where,
            )
            return False
        if process.returncode != 0:
            tail = stderr.decode("utf-8", "replace").strip()[-STDERR_TAIL:]
            self._log.emit(
                "hook_error",
                command=self.command,
                reason=f"exit status {process.returncode}",
                stderr=tail,
                **where,
            )
            return False
        return True


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """The shell and whatever it started: a grandchild holding the pipes would hang us."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def ring_bell() -> None:
    """On stderr: stdout carries the JSON event lines."""
    sys.stderr.write("\a")
    sys.stderr.flush()
