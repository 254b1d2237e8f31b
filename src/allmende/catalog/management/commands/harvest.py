"""``allmende harvest add|run|list``: harvest sources on the command line."""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from allmende.core.cli import ProgressBar
from allmende.core.models import Organisation

from ...models import HarvestRun, HarvestSource
from ...services.harvesting import HarvestBusy, run_harvest, save_source


class Command(BaseCommand):
    help = "Manage and run harvest sources (DCAT-AP endpoints, CKAN APIs, RDF files)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Add a harvest source.")
        add.add_argument("name", help="short name (letters, digits, hyphens)")
        add.add_argument("url", help="the endpoint, API or file URL")
        add.add_argument("--type", dest="kind", choices=["dcat", "ckan", "file"], default="dcat")
        add.add_argument("--publisher", help="short name of the organisation publishing it all")
        add.add_argument("--interval", type=int, default=24, help="hours between runs (0: manual)")
        add.add_argument("--title", default="")
        run = sub.add_parser("run", help="Run a source now.")
        run.add_argument("name")
        sub.add_parser("list", help="List the sources with their last run.")

    def handle(self, *args, **options) -> None:
        {"add": self._add, "run": self._run, "list": self._list}[options["action"]](options)

    def _add(self, options: dict) -> None:
        publisher = None
        if options["publisher"]:
            publisher = Organisation.objects.filter(slug=options["publisher"]).first()
            if publisher is None:
                raise CommandError(
                    _("no organisation with the short name %(slug)s")
                    % {"slug": options["publisher"]}
                )
        source = HarvestSource(
            name=options["name"],
            url=options["url"],
            kind=options["kind"],
            publisher=publisher,
            interval_hours=max(0, options["interval"]),
            title=options["title"],
        )
        try:
            save_source(source, by=None)
        except ValidationError as exc:
            raise CommandError(_one_line(exc)) from None
        self.stdout.write(
            _("added %(name)s (%(kind)s) %(url)s")
            % {"name": source.name, "kind": source.kind, "url": source.url}
        )

    def _run(self, options: dict) -> None:
        source = HarvestSource.objects.filter(name=options["name"]).first()
        if source is None:
            raise CommandError(_("no harvest source named %(name)s") % {"name": options["name"]})
        bar = ProgressBar(_("Harvesting %(name)s") % {"name": source.name}, stream=sys.stderr)
        try:
            run = run_harvest(
                source, trigger="cli", progress=lambda done, total: bar.update(done, total or done)
            )
        except HarvestBusy as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        for issue in run.issues.filter(kind="failed")[:20]:
            self.stderr.write(f"failed: {issue}")
        if run.status == HarvestRun.Status.FAILED:
            self.stdout.write(run.summary)
            raise CommandError(_("the run failed: %(error)s") % {"error": run.error})
        self.stdout.write(run.summary)

    def _list(self, options: dict) -> None:
        for source in HarvestSource.objects.select_related("publisher"):
            last = source.runs.first()
            state = (
                f"{last.status} {last.started_at:%Y-%m-%d %H:%M} {last.summary}" if last else "-"
            )
            self.stdout.write(f"{source.name}\t{source.kind}\t{source.url}\t{state}")


def _one_line(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)
