"""Run a query in a child process and kill it at the time limit.

pyoxigraph cannot cancel a query from Python, so each web process keeps one child
(``python -m allmende.catalog.sparql.child``) and sends it one query at a time. A query
that runs past the limit gets its child killed: the answer is an error, the web process
carries on, and the next query starts a fresh child (about 0.1 s once).
"""

import json
import os
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path


class QueryTimeout(Exception):
    """The query ran past the time limit; its process was killed."""


class Busy(Exception):
    """Another query of this process held the child for the whole time limit."""


@dataclass
class Answer:
    header: dict
    body: bytes


class _Child:
    def __init__(self, directory: Path):
        self.pid, self.directory = os.getpid(), directory
        # Our own module under this very interpreter: no outside input in the command.
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "allmende.catalog.sparql.child", str(directory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )

    def serves(self, directory: Path) -> bool:
        """Alive, ours (not inherited through a fork) and reading ``directory``."""
        return (
            self.pid == os.getpid() and self.directory == directory and self.process.poll() is None
        )

    def ask(self, request: dict, deadline: float) -> Answer:
        data = json.dumps(request).encode("utf-8")
        self.process.stdin.write(struct.pack(">I", len(data)) + data)
        self.process.stdin.flush()
        header = json.loads(self._message(deadline))
        return Answer(header, self._message(deadline))

    def _message(self, deadline: float) -> bytes:
        size = struct.unpack(">I", self._read(4, deadline))[0]
        return self._read(size, deadline)

    def _read(self, size: int, deadline: float) -> bytes:
        out, fd = bytearray(), self.process.stdout.fileno()
        while len(out) < size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise QueryTimeout
            chunk = os.read(fd, min(size - len(out), 1 << 20))
            if not chunk:
                raise OSError("the SPARQL query process ended")
            out += chunk
        return bytes(out)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()


_lock = threading.Lock()
_child: _Child | None = None


def run_query(directory: Path, request: dict, *, timeout: float) -> Answer:
    """Send ``request`` to this process's query child; raises QueryTimeout or Busy."""
    global _child
    started = time.monotonic()
    if not _lock.acquire(timeout=timeout):
        raise Busy
    try:
        child = _child
        if child is None or not child.serves(directory):
            if child is not None and child.pid == os.getpid():
                child.kill()
            child = _child = _Child(directory)
        try:
            return child.ask(request, started + timeout)
        except (QueryTimeout, OSError):
            _child = None
            child.kill()
            raise
    finally:
        _lock.release()


def stop_child() -> None:
    """End this process's query child (tests, shutdown)."""
    global _child
    with _lock:
        if _child is not None and _child.pid == os.getpid():
            _child.kill()
        _child = None
