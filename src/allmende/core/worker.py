"""The background worker: periodic tasks that the domains register.

A domain registers its tasks in ``AppConfig.ready`` with :func:`register_periodic`; the
``allmende worker`` process (started by ``allmende serve`` unless switched off) runs each
one every so many seconds. A task that raises is logged and tried again next time: one
bad task never stops the others. Tasks must be safe to run in several workers at once
(claim work in the database, e.g. with a conditional UPDATE).
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections, connection

log = logging.getLogger("allmende.worker")


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    every: float  # seconds between two runs
    run: Callable[[], object]


tasks: dict[str, PeriodicTask] = {}


def register_periodic(name: str, every: float, run: Callable[[], object]) -> None:
    """Run ``run()`` in the worker every ``every`` seconds (first run at start)."""
    tasks[name] = PeriodicTask(name, every, run)


def run_due(due: dict[str, float], now: float) -> None:
    """Run every task whose time has come and set its next time."""
    for task in list(tasks.values()):
        if due.get(task.name, 0.0) > now:
            continue
        due[task.name] = now + task.every
        _fresh_connections()
        try:
            task.run()
        except Exception:
            log.exception("worker task %s failed", task.name)
        finally:
            _fresh_connections()


def _fresh_connections() -> None:
    """Drop broken or too old database connections between tasks (not inside a
    transaction: a caller holding one, such as a test, keeps it)."""
    if not connection.in_atomic_block:
        close_old_connections()


def run_forever(stop: threading.Event, *, tick: float = 1.0) -> None:
    """Run the tasks until ``stop`` is set."""
    due: dict[str, float] = {}
    log.info("worker started with tasks: %s", ", ".join(sorted(tasks)) or "none")
    while not stop.is_set():
        run_due(due, time.monotonic())
        stop.wait(tick)
