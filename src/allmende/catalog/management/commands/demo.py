"""``allmende demo load``: Jena's publishers, about 70 demo datasets, real files and records.

Idempotent: a second run finds everything in place and writes nothing.
"""

import filecmp
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pyoxigraph import RdfFormat

from allmende.core.models import Organisation

from ...dcat.rdfio import format_for
from ...demo.build_demo import PUBLISHERS
from ...models import Catalog, Dataset, Distribution
from ...quality.shacl import validate_dataset
from ...services.importing import import_rdf

DEMO = Path(__file__).resolve().parent.parent.parent / "demo"
MEDIA_SUBDIR = "demo"
JENA = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/16053000"
HOMEPAGES = {"stadt-jena": "https://www.jena.de/"}


class Command(BaseCommand):
    help = "Load the demo content (Jena). Does nothing when it is already there."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="load or refresh the demo content")

    def handle(self, *args: Any, **options: Any) -> None:
        self.written = 0
        with transaction.atomic():
            self._organisations()
            self._catalog()
        self._files()
        self._import("jena-opendata.ttl", is_demo=True)
        self._import("jena-real.ttl", is_demo=False)
        self._records()
        self._attach_files()
        total = Dataset.objects.count()
        if self.written:
            message = ngettext(
                "Demo content loaded: %(count)s dataset.",
                "Demo content loaded: %(count)s datasets.",
                total,
            )
        else:
            message = ngettext(
                "Demo content is already there (%(count)s dataset); nothing written.",
                "Demo content is already there (%(count)s datasets); nothing written.",
                total,
            )
        self.stdout.write(message % {"count": total})
        if not settings.DEBUG and not _has_staff():
            self.stdout.write(_("To edit, create an account: allmende createsuperuser"))

    def _organisations(self) -> None:
        for slug, name in PUBLISHERS.items():
            _org, created = Organisation.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "homepage": HOMEPAGES.get(slug, ""),
                    "publisher_type": "http://purl.org/adms/publishertype/LocalAuthority",
                },
            )
            self.written += created

    def _catalog(self) -> None:
        catalog = Catalog.get_local()
        wanted = {
            "title": "Offene Daten Jena",
            "title_en": "Open data of Jena",
            "description": "Der Datenkatalog der Stadt Jena und ihrer Unternehmen: offene Daten "
            "mit Metadaten nach DCAT-AP.de.",
            "description_en": "The data catalogue of the city of Jena and its companies: open "
            "data described with DCAT-AP.de.",
            "publisher": Organisation.objects.get(slug="stadt-jena"),
            "political_geocoding": JENA,
        }
        if any(getattr(catalog, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(catalog, key, value)
            catalog.save()
            self.written += 1

    def _files(self) -> None:
        target = Path(settings.MEDIA_ROOT) / MEDIA_SUBDIR
        target.mkdir(parents=True, exist_ok=True)
        for source in [*(DEMO / "files").iterdir(), *(DEMO / "real").iterdir()]:
            dest = target / source.name
            if not dest.exists() or not filecmp.cmp(source, dest, shallow=False):
                shutil.copyfile(source, dest)

    def _text(self, name: str) -> bytes:
        files = f"{settings.SITE_URL}{settings.MEDIA_URL}{MEDIA_SUBDIR}/"
        text = (DEMO / name).read_text("utf-8")
        return text.replace("{SITE}", settings.SITE_URL).replace("{FILES}", files).encode()

    def _import(self, name: str, *, is_demo: bool) -> None:
        report = import_rdf(
            self._text(name), fmt=RdfFormat.TURTLE, source=f"demo:{name}", is_demo=is_demo
        )
        self.written += report.count("created") + report.count("updated")

    def _records(self) -> None:
        """The real DCAT-AP.de example records: published where they conform to the
        3.0 shapes, kept as drafts (with the reasons shown to editors) where not."""
        stadt = Organisation.objects.get(slug="stadt-jena")
        for path in sorted((DEMO / "records").iterdir()):
            report = import_rdf(
                path.read_bytes(),
                fmt=format_for(path.name),
                source=f"demo:{path.name}",
                publisher=stadt,
                publish=False,
            )
            self.written += report.count("created") + report.count("updated")
            for entry in report.entries:
                if entry.outcome != "unchanged":
                    self._publish_if_valid(Dataset.objects.get(name=entry.name))

    def _publish_if_valid(self, dataset: Dataset) -> None:
        result = validate_dataset(dataset)
        if result.violations:
            dataset.status = Dataset.Status.DRAFT
            first = result.violations[0]
            self.stdout.write(
                "  "
                + _(
                    "draft: %(name)s (%(count)s DCAT-AP.de violation(s), "
                    "e.g. %(path)s: %(message)s)"
                )
                % {
                    "name": dataset.name,
                    "count": len(result.violations),
                    "path": first.path,
                    "message": first.message[:90],
                }
            )
        else:
            dataset.status = Dataset.Status.PUBLISHED
        dataset.save(update_fields=["status"])

    def _attach_files(self) -> None:
        base = f"{settings.SITE_URL}{settings.MEDIA_URL}{MEDIA_SUBDIR}/"
        for dist in Distribution.objects.filter(download_url__startswith=base, file=""):
            dist.file.name = f"{MEDIA_SUBDIR}/{dist.download_url[len(base) :]}"
            dist.save(update_fields=["file"])
            self.written += 1


def _has_staff() -> bool:
    from allmende.core.models import User

    return User.objects.filter(is_staff=True).exists()
