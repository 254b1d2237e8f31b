"""``allmende serve``: the production web server (gunicorn) with our defaults, and the
background worker beside it (``ALLMENDE_RUN_WORKER``)."""

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)  # type: ignore[union-attr]

    def load(self):
        from allmende.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve the platform with gunicorn (use behind a reverse proxy in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port to listen on")
        parser.add_argument("--workers", type=int, default=settings.ALLMENDE_WEB_WORKERS)
        parser.add_argument("--timeout", type=int, default=60, help="request timeout (s)")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the background worker (run `allmende worker` yourself)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(
            _("Allmende serves at %(url)s (stop with Ctrl-C)")
            % {"url": f"http://{options['bind']}/"}
        )
        worker = None
        if settings.ALLMENDE_RUN_WORKER and not options["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "allmende", "worker"])
        try:
            self._serve(options)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)

    def _serve(self, options: dict[str, Any]) -> None:
        _Server(
            {
                "bind": options["bind"],
                "workers": options["workers"],
                "threads": 4,
                "timeout": options["timeout"],
                "graceful_timeout": 20,
                "limit_request_line": 8190,
                "accesslog": "-",
                "errorlog": "-",
                "forwarded_allow_ips": settings.ALLMENDE_FORWARDED_ALLOW_IPS,
            }
        ).run()
