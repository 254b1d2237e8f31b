"""The ``allmende`` console command: Django's manage.py with our settings preset."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, e.g. ``allmende catalog import FILE``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allmende.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["allmende", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
