"""SHACL validation against the shipped DCAT-AP.de 3.0 shapes, offline."""

import socket

import pytest

from allmende.catalog.quality.shacl import validate_dataset, validate_graph

pytestmark = pytest.mark.conformance


def test_a_dataset_made_with_the_services_conforms(dataset):
    report = validate_dataset(dataset)
    assert report.conforms, [(r.path, r.message) for r in report.violations]


def test_a_missing_description_is_named_in_words(dataset, settings):
    settings.LANGUAGE_CODE = "en"
    lines = [
        line for line in dataset.graph.splitlines() if "/description>" not in line.split(" ")[1]
    ]
    report = validate_graph("\n".join(lines) + "\n")
    assert not report.conforms
    missing = [r for r in report.violations if r.path == "dct:description"]
    assert missing and missing[0].focus == dataset.iri
    assert (
        "description" in missing[0].message.lower() or "beschreibung" in missing[0].message.lower()
    )


def test_a_theme_outside_the_eu_vocabulary_is_a_violation(dataset):
    graph = dataset.graph.replace("data-theme/ENVI", "data-theme/NOPE")
    report = validate_graph(graph)
    assert any(
        r.path == "skos:inScheme" and "data-theme/NOPE" in r.focus for r in report.violations
    )


def test_validation_needs_no_network(dataset, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert validate_dataset(dataset).conforms
