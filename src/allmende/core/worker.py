"""The background worker: periodic tasks and long-running services the domains register.

A domain registers its tasks in ``AppConfig.ready`` with :func:`register_periodic`; the
``allmende worker`` process (started by ``allmende serve`` unless switched off) runs each
one every so many seconds. A task that raises is logged and tried again next time: one
bad task never stops the others. Tasks must be safe to run in several workers at once
(claim work in the database, e.g. with a conditional UPDATE).

A **service** (:func:`register_service`) is a loop that runs as long as the worker, in a
thread of its own (e.g. the MQTT subscriber): it gets the worker's stop event and must
return soon after it is set. A service that raises is logged and started again after a
pause that grows up to a minute.
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
services: dict[str, Callable[[threading.Event], object]] = {}


def register_periodic(name: str, every: float, run: Callable[[], object]) -> None:
    """Run ``run()`` in the worker every ``every`` seconds (first run at start)."""
    tasks[name] = PeriodicTask(name, every, run)


def register_service(name: str, run: Callable[[threading.Event], object]) -> None:
    """Run ``run(stop)`` in its own thread for as long as the worker runs."""
    services[name] = run


def _keep_running(name: str, run: Callable[[threading.Event], object], stop: threading.Event):
    pause = 1.0
    while not stop.is_set():
        started = time.monotonic()
        try:
            run(stop)
        except Exception:
            log.exception("worker service %s failed; starting it again", name)
        finally:
            connection.close()
        if time.monotonic() - started > 60:
            pause = 1.0
        stop.wait(pause)
        pause = min(pause * 2, 60.0)


def start_services(stop: threading.Event) -> list[threading.Thread]:
    """Start every registered service in a thread; they end when ``stop`` is set."""
    threads = []
    for name, run in sorted(services.items()):
        thread = threading.Thread(
            target=_keep_running, args=(name, run, stop), name=f"service-{name}", daemon=True
        )
        thread.start()
        threads.append(thread)
    return threads


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
    log.info(
        "worker started with tasks: %s; services: %s",
        ", ".join(sorted(tasks)) or "none",
        ", ".join(sorted(services)) or "none",
    )
    threads = start_services(stop)
    while not stop.is_set():
        run_due(due, time.monotonic())
        stop.wait(tick)
    for thread in threads:
        thread.join(timeout=10)
