"""Real processes for end-to-end runs (tests and benchmarks): a Mosquitto broker of our
own on a free port (persistence in a temporary folder, so it can be restarted without
touching the machine's broker), and Allmende commands on a database of their own."""

import getpass
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Broker:
    """``mosquitto`` on 127.0.0.1:<port> with persistence in ``folder``."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.config = folder / "mosquitto.conf"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
            f"persistence true\npersistence_location {folder}/\n"
            # run as root, Mosquitto would switch to its own user, who may not write here
            f"user {getpass.getuser()}\n"
            f"log_dest file {folder}/mosquitto.log\n"
            "max_inflight_messages 1000\nmax_queued_messages 1000000\n"
        )
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["mosquitto", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port)

    def stop(self) -> None:
        """A clean stop: Mosquitto writes its persistence file."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(20)

    def restart(self) -> None:
        self.stop()
        self.start()


def _wait_for_port(port: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


@contextmanager
def broker(folder: Path) -> Iterator[Broker]:
    running = Broker(folder)
    running.start()
    try:
        yield running
    finally:
        running.stop()


class Site:
    """Allmende commands on a database of their own: SQLite in ``folder``, or a scratch
    PostgreSQL database next to ``postgres_url`` (dropped by :meth:`close`)."""

    def __init__(self, folder: Path, postgres_url: str | None = None, **settings: str):
        self.env = {
            **os.environ,
            "ALLMENDE_VAR_DIR": str(folder),
            "ALLMENDE_DEBUG": "0",
            "ALLMENDE_SECRET_KEY": "end-to-end-" + "x" * 40,
            "ALLMENDE_ALLOWED_HOSTS": "127.0.0.1,localhost",
            **settings,
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.folder = folder
        self.postgres_url = postgres_url
        self.database = ""
        if postgres_url:
            import psycopg

            self.database = f"allmende_e2e_{os.getpid()}_{free_port()}"
            with psycopg.connect(postgres_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.database}"')
            self.env["DATABASE_URL"] = postgres_url.rsplit("/", 1)[0] + "/" + self.database
        else:
            self.env.pop("DATABASE_URL", None)
        self.sqlite = folder / "allmende.sqlite3"

    def run(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "allmende", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"allmende {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    def python(self, code: str) -> str:
        """Run ``code`` with Django set up on this site's database; return its output."""
        return self.run("shell", "-c", code)

    def start(self, *args: str) -> subprocess.Popen:
        """Start a long-running command; its output goes to ``<folder>/<command>.log``."""
        with open(self.folder / f"{args[0]}.log", "ab") as log:  # the child keeps a copy
            return subprocess.Popen(
                [sys.executable, "-m", "allmende", *args],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def count(self, table: str) -> int:
        """Rows in ``table``, read directly (no Django in this process)."""
        if self.database:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"]) as conn:
                return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
        import sqlite3

        with sqlite3.connect(self.sqlite, timeout=30) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608

    def close(self) -> None:
        if self.database and self.postgres_url:
            import psycopg

            with psycopg.connect(self.postgres_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
