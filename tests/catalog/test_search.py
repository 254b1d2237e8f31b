"""Search: analysis, both backends behind one interface, and the index following writes.

Every backend test runs on tantivy and, when the database is PostgreSQL, on PostgreSQL.
"""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from pyoxigraph import RdfFormat

from allmende.catalog import search
from allmende.catalog.models import Catalog, Dataset
from allmende.catalog.reindex import reindexers
from allmende.catalog.search import SearchDocument, SearchQuery, get_backend
from allmende.catalog.search.analysis import fold, suggestion_terms, words
from allmende.catalog.search.base import FACETS
from allmende.catalog.search.documents import document_for
from allmende.catalog.search.spatial import KNOWN_PLACES, bbox_for, bbox_from_geometry
from allmende.catalog.services.datasets import (
    create_dataset,
    delete_dataset,
    publish_dataset,
    unpublish_dataset,
    update_dataset,
)
from allmende.catalog.services.importing import import_rdf

from ..conftest import DATA, make_fields


def _backends() -> list[str]:
    """tantivy always; PostgreSQL full-text when the suite runs on PostgreSQL (CI runs
    it on both), so no test is skipped."""
    from django.conf import settings as django_settings

    engine = django_settings.DATABASES["default"]["ENGINE"]
    return ["tantivy", "postgres"] if "postgresql" in engine else ["tantivy"]


BACKENDS = _backends()


@pytest.fixture(params=BACKENDS)
def backend_name(request, db, settings):
    assert request.param == "tantivy" or connection.vendor == "postgresql"
    settings.ALLMENDE_SEARCH_BACKEND = request.param
    return request.param


@pytest.fixture
def backend(backend_name):
    engine = get_backend(backend_name)
    engine.clear()
    yield engine
    engine.clear()


def doc(pk: int, title: str, **kwargs) -> SearchDocument:
    kwargs.setdefault("published", True)
    kwargs.setdefault("publisher_id", 1)
    return SearchDocument(id=pk, title=title, **kwargs)


def ids(backend, **kwargs) -> list[int]:
    return backend.search(SearchQuery(limit=100, **kwargs)).ids


# -- analysis -------------------------------------------------------------------------------


@pytest.mark.unit
def test_folding_removes_umlauts_sharp_s_and_accents():
    assert fold("Straßenbäume ÖL Café") == "strassenbaume ol cafe"
    assert words("Verkehrs-Zählung, 2024!") == ["verkehrs", "zahlung", "2024"]
    assert suggestion_terms(["Bäume im Park", "Bäume"]) == ["baume|Bäume", "park|Park"]


@pytest.mark.unit
def test_bounding_boxes_from_wkt_geojson_and_geocoding_keys():
    assert bbox_from_geometry("POINT(11.5 50.9)") == (11.5, 50.9, 11.5, 50.9)
    polygon = "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POLYGON((1 2, 3 2, 3 4, 1 4, 1 2))"
    assert bbox_from_geometry(polygon) == (1, 2, 3, 4)
    assert bbox_from_geometry("ENVELOPE(1, 3, 4, 2)") == (1, 2, 3, 4)
    geojson = '{"type": "MultiPoint", "coordinates": [[10, 50], [12, 51.5, 300]]}'
    assert bbox_from_geometry(geojson) == (10, 50, 12, 51.5)
    assert bbox_from_geometry("POINT(500 50)") is None
    assert bbox_from_geometry("Jena") is None
    key = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/16053000"
    assert bbox_for("", key) == KNOWN_PLACES["16053000"]
    assert bbox_for("https://sws.geonames.org/2895044/") is None


def test_document_for_a_dataset(dataset):
    document = document_for(dataset)
    assert document.published and document.title == "Baumkataster"
    assert document.facets["publisher"] == ["stadt-jena"]
    assert document.facets["theme"] == ["ENVI"]
    assert document.facets["format"] == dataset.formats
    assert document.facets["quality"] == []
    assert document.bbox == KNOWN_PLACES["16053000"]


# -- text, ranking --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Bäume", "Baum des Jahres"),
        ("Baum", "Bäume im Stadtgebiet"),
        ("Bäumen", "Baum des Jahres"),
        ("Strassen", "Straßen und Wege"),
        ("Straßen", "Strassenverzeichnis Strassen"),
        ("Verkehrszahlung", "Verkehrszählung 2024"),
    ],
)
def test_german_words_find_their_forms(backend, text, title):
    backend.index([doc(1, title), doc(2, "Haushaltsplan")])
    assert ids(backend, text=text) == [1]


def test_english_title_and_all_words_needed(backend):
    backend.index([doc(1, "Baumkataster", title_en="Trees of the city"), doc(2, "Bäume")])
    assert ids(backend, text="tree") == [1]
    assert ids(backend, text="trees city") == [1]
    assert ids(backend, text="trees nowhere") == []


def test_title_ranks_above_keywords_above_description(backend):
    backend.index(
        [
            doc(1, "Haushalt", description="Radwege der Stadt und weitere Angaben"),
            doc(2, "Verkehr", keywords=["Radwege"], description="Angaben zur Stadt"),
            doc(3, "Radwege", description="Angaben zur Stadt und weitere Dinge"),
        ]
    )
    assert ids(backend, text="Radweg") == [3, 2, 1]


# -- facets and filters, checked against brute force ------------------------------------------

VALUES = {
    "publisher": ["jena", "stadtwerke", "uni"],
    "theme": ["ENVI", "TRAN", "GOVE", "ECON"],
    "keyword": ["Bäume", "Verkehr", "Haushalt", "Wasser", "Luft"],
    "format": ["CSV", "JSON", "PDF"],
    "license": ["dl-by-de/2.0", "cc-by/4.0"],
    "quality": ["excellent", "good", "bad"],
    "source": ["GovData", ""],
}


def _random_docs(count: int = 80) -> list[SearchDocument]:
    rng = random.Random(4)
    docs = []
    for pk in range(1, count + 1):
        facets = {
            name: sorted({v for v in rng.sample(values, rng.randint(0, 2)) if v})
            for name, values in VALUES.items()
        }
        facets["publisher"] = [rng.choice(VALUES["publisher"])]
        title = f"Datensatz {pk} " + rng.choice(["Bäume", "Verkehr", "Wasser"])
        docs.append(doc(pk, title, facets=facets, published=pk % 7 != 0))
    return docs


def _brute(docs, filters=None, exclude=None):
    def keep(d):
        for name, values in (filters or {}).items():
            if not set(values) & set(d.facets.get(name, [])):
                return False
        return not any(
            set(values) & set(d.facets.get(name, [])) for name, values in (exclude or {}).items()
        )

    return [d for d in docs if d.published and keep(d)]


def _counts(docs) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for d in docs:
        for name in FACETS:
            for value in d.facets.get(name, []):
                out[name][value] = out[name].get(value, 0) + 1
    return out


@pytest.mark.parametrize(
    ("filters", "exclude"),
    [
        ({}, {}),
        ({"theme": ["ENVI"]}, {}),
        ({"theme": ["ENVI", "TRAN"]}, {}),
        ({"theme": ["ENVI", "TRAN"], "format": ["CSV"]}, {}),
        ({"publisher": ["jena"]}, {"keyword": ["Verkehr", "Luft"]}),
        ({}, {"quality": ["bad"]}),
    ],
)
def test_filters_and_facet_counts_match_brute_force(backend, filters, exclude):
    docs = _random_docs()
    backend.index(docs)
    expected = _brute(docs, filters, exclude)
    result = backend.search(
        SearchQuery(
            filters=filters, exclude=exclude, facet_fields=FACETS, facet_limit=50, limit=200
        )
    )
    assert result.total == len(expected)
    assert sorted(result.ids) == sorted(d.id for d in expected)
    wanted = _counts(expected)
    assert {name: dict(pairs) for name, pairs in result.facets.items()} == wanted
    for pairs in result.facets.values():
        assert [count for _v, count in pairs] == sorted((c for _v, c in pairs), reverse=True)


def test_facet_limit_keeps_the_most_frequent(backend):
    backend.index(_random_docs())
    result = backend.search(SearchQuery(facet_fields=("keyword",), facet_limit=2, limit=0))
    full = backend.search(SearchQuery(facet_fields=("keyword",), facet_limit=50, limit=0))
    assert result.facets["keyword"] == full.facets["keyword"][:2]
    assert result.ids == [] and result.total == full.total


# -- ranges, box, sorting, paging -------------------------------------------------------------

DAY = datetime(2024, 1, 1, tzinfo=UTC)


def test_date_ranges(backend):
    backend.index(
        [doc(pk, f"D{pk}", modified=DAY + timedelta(days=pk), issued=DAY) for pk in range(1, 6)]
        + [doc(9, "Ohne Datum")]
    )
    later = DAY + timedelta(days=2)
    assert sorted(ids(backend, modified_from=later)) == [2, 3, 4, 5]
    assert sorted(ids(backend, modified_until=later)) == [1, 2]
    until = DAY + timedelta(days=3)
    assert sorted(ids(backend, modified_from=later, modified_until=until)) == [2, 3]
    assert sorted(ids(backend, issued_from=DAY)) == [1, 2, 3, 4, 5]


def test_bounding_box_intersects(backend):
    backend.index(
        [
            doc(1, "Jena", bbox=KNOWN_PLACES["16053000"]),
            doc(2, "Punkt", bbox=(11.6, 50.9, 11.6, 50.9)),
            doc(3, "Berlin", bbox=(13.08, 52.33, 13.76, 52.67)),
            doc(4, "Ohne Raumbezug"),
        ]
    )
    assert sorted(ids(backend, bbox=(11.55, 50.85, 11.7, 50.95))) == [1, 2]
    assert ids(backend, bbox=(13.0, 52.0, 14.0, 53.0)) == [3]
    assert sorted(ids(backend, bbox=(5.0, 47.0, 15.0, 55.0))) == [1, 2, 3]


def test_sorting_and_paging(backend):
    backend.index(
        [
            doc(1, "Zebra", modified=DAY),
            doc(2, "Äpfel", modified=DAY + timedelta(days=2)),
            doc(3, "Birnen", modified=DAY + timedelta(days=1)),
        ]
    )
    assert ids(backend, sort="title") == [2, 3, 1]
    assert ids(backend) == [2, 3, 1]  # relevance without text: by title
    assert ids(backend, sort="modified") == [2, 3, 1]
    page = backend.search(SearchQuery(sort="title", offset=1, limit=1))
    assert (page.total, page.ids) == (3, [3])


# -- visibility, suggestions ----------------------------------------------------------------


def test_drafts_only_for_their_publishers(backend):
    backend.index([doc(1, "Bäume"), doc(2, "Bäume Entwurf", published=False, publisher_id=7)])
    assert ids(backend, text="Baum") == [1]
    assert sorted(ids(backend, text="Baum", draft_publishers=(7,))) == [1, 2]
    assert ids(backend, text="Baum", draft_publishers=(8,)) == [1]
    assert sorted(ids(backend, all_drafts=True)) == [1, 2]


def test_only_and_never_these_ids(backend):
    backend.index([doc(1, "Bäume"), doc(2, "Bäume im Park"), doc(3, "Wasser")])
    assert sorted(ids(backend, ids=(1, 3, 99))) == [1, 3]
    assert ids(backend, text="Baum", ids=(2, 3)) == [2]
    assert ids(backend, ids=()) == []
    assert sorted(ids(backend, exclude_ids=(1,))) == [2, 3]
    assert ids(backend, ids=(1, 2), exclude_ids=(1,)) == [2]


def test_suggestions_while_typing(backend):
    backend.index(
        [
            doc(1, "Bäume in Jena", keywords=["Baumkataster"]),
            doc(2, "Bäume im Park"),
            doc(3, "Bauanträge", published=False),
        ]
    )
    assert backend.suggest("bä") == ["Bäume", "Baumkataster"]
    assert backend.suggest("Bau", limit=1) == ["Bäume"]
    assert backend.suggest("") == []
    assert backend.suggest("%") == []


def test_index_replaces_and_delete_removes(backend):
    backend.index([doc(1, "Bäume"), doc(2, "Wasser")])
    backend.index([doc(1, "Straßen")])
    assert ids(backend, text="Baum") == []
    assert ids(backend, text="Strasse") == [1]
    backend.delete([1, 99])
    assert ids(backend) == [2]
    assert backend.count() == 1


def _second(backend):
    """Another instance on the same index: what another process holds."""
    from allmende.catalog.search.postgres_backend import PostgresBackend
    from allmende.catalog.search.tantivy_backend import TantivyBackend

    if isinstance(backend, PostgresBackend):
        return PostgresBackend()
    return TantivyBackend(backend.root)


def test_every_process_sees_every_write_at_once(backend):
    other = _second(backend)
    assert ids(other, text="Baum") == []
    backend.index([doc(1, "Bäume"), doc(2, "Wasser", keywords=["Baum"])])
    assert ids(other, text="Baum") == [1, 2]
    other.index([doc(1, "Straßen")])
    assert ids(backend, text="Baum") == [2] and ids(backend, text="Strasse") == [1]
    backend.delete([2])
    assert ids(other, text="Baum") == [] and other.count() == 1
    assert other.suggest("str") == ["Straßen"]


def test_many_writes_then_a_new_process_agrees(backend, monkeypatch):
    from allmende.catalog.search import postgres_backend

    monkeypatch.setattr(postgres_backend, "COMPACT_AFTER", 7)  # fold the log often
    docs = _random_docs(40)
    for start in range(0, 40, 3):
        backend.index(docs[start : start + 3])
        backend.delete([start + 2])
    replaced = doc(5, "Ersetzt", facets={"theme": ["JUST"]})
    backend.index([replaced])
    query = SearchQuery(facet_fields=FACETS, facet_limit=50, limit=100, sort="title")
    expected = backend.search(query)
    gone = {start + 2 for start in range(0, 40, 3)}
    shown = [d for d in docs if d.published and d.id not in gone] + [replaced]
    assert expected.total == len(shown) == 25
    assert {name: dict(pairs) for name, pairs in expected.facets.items()} == _counts(shown)
    assert _second(backend).search(query) == expected
    assert expected.facets["theme"][-1] == ("JUST", 1)


if "postgres" in BACKENDS:  # the PostgreSQL index is transactional, tantivy's is not

    def test_a_rolled_back_write_is_forgotten_by_every_process(db, settings):
        from django.db import transaction

        settings.ALLMENDE_SEARCH_BACKEND = "postgres"
        backend = get_backend("postgres")
        backend.clear()
        backend.index([doc(1, "Bäume")])
        other = _second(backend)
        with pytest.raises(RuntimeError), transaction.atomic():
            backend.index([doc(2, "Bäume am Weg")])
            assert ids(other, text="Baum") == [1, 2]  # this transaction sees its write
            raise RuntimeError
        assert ids(other, text="Baum") == [1] and ids(backend, text="Baum") == [1]
        backend.index([doc(3, "Baumkataster", keywords=["Baum"])])
        assert ids(other, text="Baum") == [1, 3]  # title before keyword


def _dated_docs(count: int = 120) -> list[SearchDocument]:
    rng = random.Random(9)
    out = []
    for pk in range(1, count + 1):
        west, south = rng.uniform(9.0, 13.0), rng.uniform(49.0, 53.0)
        box = (west, south, west + rng.choice([0, 0.1, 0.6]), south + rng.choice([0, 0.3]))
        out.append(
            doc(
                pk,
                f"{rng.choice(['Bäume', 'Wasser', 'Ämter', 'Zoo'])} {rng.randint(1, 9)}",
                modified=DAY + timedelta(days=rng.randint(0, 400), hours=rng.randint(0, 23)),
                issued=DAY if pk % 5 else None,
                bbox=box if pk % 6 else None,
                published=pk % 9 != 0,
            )
        )
    return out


def _meets(d: SearchDocument, low, high, box) -> bool:
    if d.modified is None or not low <= d.modified <= high:
        return False
    w, s, e, n = box
    return (
        d.bbox is not None
        and d.bbox[0] <= e
        and d.bbox[2] >= w
        and d.bbox[1] <= n
        and (d.bbox[3] >= s)
    )


@pytest.mark.parametrize(
    ("days", "box"),
    [
        ((20, 200), (10.0, 50.0, 12.0, 52.0)),
        ((0, 400), (10.13, 50.37, 11.2, 51.61)),
        ((30, 60), (5.0, 45.0, 15.0, 55.0)),
        ((0, 400), (11.25, 51.0, 11.5, 51.25)),  # one grid cell exactly
    ],
)
def test_ranges_and_boxes_match_brute_force(backend, days, box):
    docs = _dated_docs()
    backend.index(docs)
    low, high = DAY + timedelta(days=days[0]), DAY + timedelta(days=days[1])
    wanted = sorted(d.id for d in docs if d.published and _meets(d, low, high, box))
    found = ids(backend, modified_from=low, modified_until=high, bbox=box)
    assert sorted(found) == wanted and wanted


def test_long_pages_sorted_like_brute_force(backend, monkeypatch):
    from allmende.catalog.search import postgres_backend

    monkeypatch.setattr(postgres_backend, "SORT_IN_PYTHON", 3)  # walk the title index
    docs = _dated_docs()
    backend.index(docs)
    shown = [d for d in docs if d.published]
    by_title = [d.id for d in sorted(shown, key=lambda d: (fold(d.title), d.id))]
    newest = [d.id for d in sorted(shown, key=lambda d: (-d.modified.timestamp(), d.id))]
    for sort, expected in (("title", by_title), ("modified", newest)):
        for offset in (0, 7, 50):
            page = backend.search(SearchQuery(sort=sort, offset=offset, limit=30))
            assert page.ids == expected[offset : offset + 30], (sort, offset)


# -- the index follows the catalogue ---------------------------------------------------------


def test_signals_keep_the_index_in_step(
    backend, organisation, editor, django_capture_on_commit_callbacks
):
    def found(text="Verkehrszählung", **kwargs):
        return ids(backend, text=text, **kwargs)

    fields = make_fields(title="Verkehrszählung Jena", keywords=["Verkehr"])
    with django_capture_on_commit_callbacks(execute=True):
        ds = create_dataset(publisher=organisation, fields=fields, by=editor)
    assert found() == [] and found(draft_publishers=(organisation.pk,)) == [ds.pk]
    with django_capture_on_commit_callbacks(execute=True):
        publish_dataset(ds, by=editor)
    assert found() == [ds.pk]
    with django_capture_on_commit_callbacks(execute=True):
        update_dataset(ds, fields=make_fields(title="Radverkehr", keywords=[]), by=editor)
    assert found() == [] and found("Radverkehr") == [ds.pk]
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_dataset(ds, by=editor)
    assert found("Radverkehr") == []
    with django_capture_on_commit_callbacks(execute=True):
        delete_dataset(ds, by=editor)
    assert backend.count() == 0


def test_import_is_indexed_and_rebuild_restores(
    backend, organisation, django_capture_on_commit_callbacks
):
    Catalog.objects.create(title="Daten Jena", description="Offene Daten", publisher=organisation)
    path = DATA / "dcat" / "dcat-ap-de-3.0-example-Dataset-und-Distribution.ttl"
    with django_capture_on_commit_callbacks(execute=True):
        import_rdf(path.read_bytes(), fmt=RdfFormat.TURTLE)
    dataset = Dataset.objects.get()
    assert ids(backend, text="Haushaltsplan") == [dataset.pk]
    backend.clear()
    assert ids(backend, text="Haushaltsplan") == []
    seen = []
    assert search.rebuild(progress=lambda done, total: seen.append((done, total))) == 1
    assert seen == [(1, 1)]
    assert ids(backend, text="Haushaltsplan") == [dataset.pk]
    assert "search" in dict(reindexers())


def test_a_bulk_import_is_indexed_by_the_worker(
    backend, organisation, django_capture_on_commit_callbacks, monkeypatch
):
    from allmende.catalog.services import derived

    monkeypatch.setattr(derived, "BULK", 0)
    Catalog.objects.create(title="Daten Jena", description="Offene Daten", publisher=organisation)
    path = DATA / "dcat" / "dcat-ap-de-3.0-example-Dataset-und-Distribution.ttl"
    with django_capture_on_commit_callbacks(execute=True):
        import_rdf(path.read_bytes(), fmt=RdfFormat.TURTLE)
    assert ids(backend, text="Haushaltsplan") == []  # not yet: queued for the worker
    assert derived.catch_up() == 1 and derived.catch_up() == 0
    assert ids(backend, text="Haushaltsplan") == [Dataset.objects.get().pk]


def test_quality_measurement_updates_the_band_facet(
    backend, dataset, settings, django_capture_on_commit_callbacks
):
    from allmende.catalog.services.quality import measure_datasets

    settings.ALLMENDE_QUALITY_CHECK_URLS = False
    with django_capture_on_commit_callbacks(execute=True):
        measure_datasets([dataset.pk])
    band = dataset.__class__.objects.get(pk=dataset.pk).quality.band
    result = backend.search(SearchQuery(facet_fields=("quality",)))
    assert result.facets["quality"] == [(band, 1)]


def test_search_for_a_person(
    backend_name, organisation, editor, outsider, django_capture_on_commit_callbacks
):
    from allmende.catalog.search.lookup import search_for

    with django_capture_on_commit_callbacks(execute=True):
        draft = create_dataset(publisher=organisation, fields=make_fields(), by=editor)
    query = SearchQuery(text="Baum", facet_fields=("publisher",))
    rows, result = search_for(editor, query)
    assert rows == [draft] and result.facets["publisher"] == [("stadt-jena", 1)]
    assert search_for(outsider, query)[0] == []


def test_unknown_facets_are_refused(backend):
    with pytest.raises(ValueError, match="unknown facet"):
        backend.search(SearchQuery(filters={"colour": ["red"]}))


def test_a_write_waits_for_another_writer_then_gives_up(tmp_path):
    from allmende.catalog.search.tantivy_backend import TantivyBackend

    engine = TantivyBackend(tmp_path / "locked", lock_wait=0.2)
    other = engine.ix.writer(15_000_000, 1)  # as if another process were writing
    with pytest.raises(TimeoutError):
        engine.index([doc(1, "Bäume")])
    del other
    assert engine.index([doc(1, "Bäume")]) == 1
    assert ids(engine, text="Baum") == [1]


def test_a_failing_index_write_never_fails_the_catalogue_write(
    dataset, editor, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(pks, backend=None):
        raise TimeoutError("locked")

    monkeypatch.setattr(search, "index_datasets", broken)
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_dataset(dataset, by=editor)
    assert "search index not updated" in caplog.text


def test_an_index_of_an_older_schema_is_left_aside(tmp_path):
    import tantivy

    from allmende.catalog.search.tantivy_backend import TantivyBackend

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", indexed=True, fast=True)
    tantivy.Index(builder.build(), str(tmp_path))  # what an older version left there
    backend = TantivyBackend(tmp_path)
    assert backend.count() == 0
    backend.index([doc(1, "Bäume")])
    assert ids(backend, text="Baum") == [1]
