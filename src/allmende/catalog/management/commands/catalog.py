"""``allmende catalog import FILE_OR_URL [--publisher SLUG]``, ``allmende catalog validate``
and ``allmende catalog quality [--all]``."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pyoxigraph import RdfFormat

from allmende.core.cli import ProgressBar
from allmende.core.models import Organisation
from allmende.core.net import FetchError, fetch_url

from ...dcat.page import catalog_page
from ...dcat.rdfio import ACCEPT_RDF, RdfError, format_for
from ...quality.shacl import validate_graph
from ...selectors import catalog_info, public_page
from ...services.graphs import DatasetError
from ...services.importing import import_rdf


class Command(BaseCommand):
    help = "Work with the data catalogue: import DCAT-AP(.de) files or URLs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import datasets from an RDF file or URL.")
        imp.add_argument("source", help="a file path or an http(s) URL")
        imp.add_argument("--publisher", help="short name of the publishing organisation")
        imp.add_argument("--format", help="ttl, rdf, jsonld or nt (default: from name/type)")
        imp.add_argument("--draft", action="store_true", help="import as drafts, not published")
        imp.add_argument("--demo", action="store_true", help="mark the datasets as demo content")
        sub.add_parser(
            "validate",
            help="Check every page of the published catalogue against the DCAT-AP.de shapes.",
        )
        quality = sub.add_parser(
            "quality",
            help="Measure metadata quality (MQA) now: datasets whose graph changed since.",
        )
        quality.add_argument("--all", action="store_true", help="measure every dataset again")
        quality.add_argument(
            "--urls", action="store_true", help="first check the URLs that are due (network)"
        )
        sub.add_parser("reindex", help="Rebuild derived data (SPARQL store, …) from the database.")

    def handle(self, *args, **options) -> None:
        if options["action"] == "import":
            self.import_(options)
        elif options["action"] == "validate":
            self.validate()
        elif options["action"] == "quality":
            self.quality(measure_all=options["all"], urls=options["urls"])
        elif options["action"] == "reindex":
            self.reindex()

    def reindex(self) -> None:
        """Run each registered rebuilder (catalog/reindex.py) in order, with a progress bar."""
        from ...reindex import reindexers

        for name, rebuild in reindexers():
            bar = ProgressBar(name, stream=sys.stderr)
            count = rebuild(bar.update)
            bar.close()
            self.stdout.write(_("%(name)s: %(count)s entries") % {"name": name, "count": count})

    def quality(self, *, measure_all: bool, urls: bool) -> None:
        """Measure now what the worker would measure in the background, then write the
        day's figures."""
        from ...models import Dataset
        from ...services.quality import measure_datasets, stale_datasets, take_snapshot
        from ...services.url_checks import check_due_urls

        if urls:
            run = check_due_urls()
            self.stderr.write(
                _("%(checked)s URLs checked, %(reachable)s reachable")
                % {"checked": run.checked, "reachable": run.reachable}
            )
        if measure_all:
            datasets = Dataset.objects.filter(kind=Dataset.Kind.DATASET)
            pks = list(datasets.order_by("pk").values_list("pk", flat=True))
        else:
            pks = stale_datasets(limit=10**9)
        bar, done, step = ProgressBar("quality", stream=sys.stderr), 0, 1000
        for start in range(0, len(pks), step):
            done += measure_datasets(pks[start : start + step])
            bar.update(min(start + step, len(pks)), len(pks))
        bar.close()
        take_snapshot()
        self.stdout.write(
            ngettext("%(count)s dataset measured", "%(count)s datasets measured", done)
            % {"count": done}
        )

    def validate(self) -> None:
        """SHACL-validate each page exactly as /catalog.ttl serves it; exit 1 on violations."""
        size = settings.ALLMENDE_CATALOG_PAGE_SIZE
        base = f"{settings.SITE_URL}/catalog.ttl"
        info, page, checked, violations = catalog_info(), 1, 0, 0
        while True:
            entries, total = public_page(page, size)
            body = catalog_page(
                info,
                entries,
                fmt=RdfFormat.TURTLE,
                base_url=base,
                page=page,
                total=total,
                size=size,
            )
            report = validate_graph(body, fmt="turtle")
            for result in report.violations:
                self.stdout.write(
                    _("page %(page)s: %(focus)s %(path)s: %(message)s")
                    % {
                        "page": page,
                        "focus": result.focus,
                        "path": result.path,
                        "message": result.message,
                    }
                )
            violations += len(report.violations)
            checked += len(entries)
            if page * size >= total:
                break
            page += 1
        self.stdout.write(
            _("%(pages)s page(s), %(datasets)s datasets, %(violations)s violation(s)")
            % {"pages": page, "datasets": checked, "violations": violations}
        )
        if violations:
            raise CommandError(
                _("the catalogue has %(count)s DCAT-AP.de violation(s)") % {"count": violations}
            )

    def import_(self, options: dict) -> None:
        source: str = options["source"]
        publisher = None
        if options.get("publisher"):
            publisher = Organisation.objects.filter(slug=options["publisher"]).first()
            if publisher is None:
                raise CommandError(
                    _("no organisation with the short name %(slug)r")
                    % {"slug": options["publisher"]}
                )
        data, media_type, base = self._read(source)
        fmt = format_for(options.get("format") and f"x.{options['format']}") or format_for(
            source, media_type
        )
        if fmt is None:
            raise CommandError(
                _("cannot tell the RDF format of %(source)s: pass --format") % {"source": source}
            )
        bar = ProgressBar("import", stream=sys.stderr)
        try:
            report = import_rdf(
                data,
                fmt=fmt,
                source=source,
                base_iri=base,
                publisher=publisher,
                publish=not options["draft"],
                is_demo=options["demo"],
                progress=bar.update,
            )
        except (RdfError, DatasetError) as exc:
            bar.close()
            raise CommandError(
                _("%(source)s: %(error)s; nothing was written") % {"source": source, "error": exc}
            ) from None
        bar.close()
        for entry in report.entries:
            self.stdout.write(f"{settings.SITE_URL}/dataset/{entry.name}  {entry.outcome}")
        self.stderr.write(
            _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged")
            % {
                "created": report.count("created"),
                "updated": report.count("updated"),
                "unchanged": report.count("unchanged"),
            }
        )

    def _read(self, source: str) -> tuple[bytes, str, str | None]:
        limit = settings.ALLMENDE_MAX_RDF_BYTES
        if source.startswith(("http://", "https://")):
            try:
                result = fetch_url(source, max_bytes=limit, accept=ACCEPT_RDF)
            except FetchError as exc:
                raise CommandError(str(exc)) from None
            return result.body, result.content_type, result.url
        path = Path(source)
        if not path.is_file():
            raise CommandError(_("no such file: %(source)s") % {"source": source})
        size = path.stat().st_size
        if size > limit:
            raise CommandError(
                _(
                    "%(source)s has %(size)s bytes, more than the limit of %(limit)s; "
                    "nothing was written"
                )
                % {"source": source, "size": size, "limit": limit}
            )
        return path.read_bytes(), "", path.resolve().as_uri()
