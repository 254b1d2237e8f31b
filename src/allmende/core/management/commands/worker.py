"""``allmende worker``: run the background tasks (scheduled harvests, checks) until stopped."""

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ...worker import run_due, run_forever, tasks


class Command(BaseCommand):
    help = "Run the background worker (scheduled harvests and other periodic tasks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run every task once and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            run_due({}, 0.0)
            self.stdout.write(", ".join(sorted(tasks)))
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        run_forever(stop)
