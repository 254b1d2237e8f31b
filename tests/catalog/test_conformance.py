"""Acceptance: every page of /catalog.ttl for the demo conforms to DCAT-AP.de 3.0, and
paging walks every published dataset exactly once."""

import io

import pytest
from django.core.management import call_command
from pyoxigraph import NamedNode, RdfFormat

from allmende.catalog.dcat.namespaces import DCAT, HYDRA
from allmende.catalog.dcat.rdfio import parse_rdf
from allmende.catalog.models import Dataset
from allmende.catalog.quality.shacl import validate_graph

pytestmark = pytest.mark.conformance


@pytest.fixture
def demo(db, settings):
    settings.ALLMENDE_CATALOG_PAGE_SIZE = 25
    call_command("demo", "load", stdout=io.StringIO())


def test_every_demo_page_conforms_and_paging_is_exact(demo, client):
    url, seen, pages, totals = "/catalog.ttl?page=1", [], 0, set()
    while url:
        response = client.get(url)
        assert response.status_code == 200
        report = validate_graph(response.content, fmt="turtle")
        assert not report.violations, "\n".join(
            f"{r.focus} {r.path}: {r.message}" for r in report.violations
        )
        triples = parse_rdf(response.content, RdfFormat.TURTLE)
        view = NamedNode(f"http://testserver{url}")
        seen += [t.object.value for t in triples if t.predicate in (DCAT.dataset, DCAT.service)]
        totals |= {int(t.object.value) for t in triples if t.predicate == HYDRA.totalItems}
        nxt = [t.object.value for t in triples if t.subject == view and t.predicate == HYDRA.next]
        url = nxt[0].removeprefix("http://testserver") if nxt else ""
        pages += 1
    published = set(Dataset.objects.published().values_list("iri", flat=True))
    assert len(published) >= 70
    assert len(seen) == len(set(seen)) == len(published)
    assert set(seen) == published
    assert totals == {len(published)}
    assert pages == -(-len(published) // 25)


def test_catalog_validate_command_reports_zero_violations(demo, english):
    out = io.StringIO()
    call_command("catalog", "validate", stdout=out)
    assert out.getvalue().strip().endswith("0 violation(s)")
