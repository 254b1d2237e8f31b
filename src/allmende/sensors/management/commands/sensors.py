"""``allmende sensors import-areas FILE [--replace]``, ``allmende sensors derive`` and
``allmende sensors demo`` (Jena's sensor sites, car parks and tree-watering areas)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ...services.derived import import_areas, run_rules


class Command(BaseCommand):
    help = "Work with the sensor hub: reference areas and derived quantities."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        areas = sub.add_parser(
            "import-areas", help="Store the polygons of a GeoJSON file as reference areas."
        )
        areas.add_argument("file", help="a GeoJSON FeatureCollection of polygons")
        areas.add_argument("--replace", action="store_true", help="drop the areas stored before")
        sub.add_parser("derive", help="Compute derived quantities from new observations now.")
        sub.add_parser("demo", help="Load the demo sensors of Jena (once).")

    def handle(self, *args, **options) -> None:
        if options["action"] == "demo":
            from ...demo.load import load

            made = load()
            self.stdout.write(_("%(count)s demo devices loaded") % {"count": made})
            return
        if options["action"] == "derive":
            self.stdout.write(_("%(count)s derived observations") % {"count": run_rules()})
            return
        try:
            collection = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
            count = import_areas(collection, replace=options["replace"])
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("%(count)s reference areas stored") % {"count": count})
