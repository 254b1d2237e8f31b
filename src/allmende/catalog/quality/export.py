"""A stored quality measurement on the wire: the ``quality.json`` document and W3C Data
Quality Vocabulary (DQV) statements for the dataset's RDF document.

DQV, as data.europa.eu publishes its measurements: one ``dqv:QualityMeasurement`` per
indicator and assessed node, ``dqv:isMeasurementOf`` the metric IRI, ``dqv:computedOn``
the dataset or the distribution, ``dqv:value`` a boolean (an HTTP status code for URL
reachability, 0 when no HTTP answer came), ``prov:generatedAtTime`` when it was measured;
the total score as ``pv:score``. Measurement nodes are blank nodes labelled per dataset,
so they never meet the blank nodes of the description itself.
"""

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from ..dcat.namespaces import DQV, PROV, RDF, XSD
from .advice import fixes
from .mqa import DIMENSION_MAX, DIMENSIONS, MAX_POINTS, METRIC_BY_KEY, SCORE_IRI

if TYPE_CHECKING:  # the functions only read the stored values
    from ..models import QualityMeasurement


def json_document(name: str, iri: str, measurement: "QualityMeasurement") -> dict:
    """What ``/dataset/<name>/quality.json`` answers (``measurement``: a stored
    QualityMeasurement); the fixes are worded in the active language."""
    indicators = {
        key: {"metric": METRIC_BY_KEY[key].iri, **_public(data)}
        for key, data in measurement.indicators.items()
        if key in METRIC_BY_KEY
    }
    return {
        "dataset": name,
        "iri": iri,
        "measured_at": measurement.measured_at.isoformat(),
        "total": measurement.total,
        "max": MAX_POINTS,
        "band": measurement.band,
        "dimensions": {
            d: {"points": getattr(measurement, d), "max": DIMENSION_MAX[d]} for d in DIMENSIONS
        },
        "indicators": indicators,
        "shacl": {
            "conforms": measurement.shacl_violations == 0,
            "violations": measurement.shacl_violations,
            "warnings": measurement.shacl_warnings,
        },
        "fixes": [
            {"indicator": f.key, "points": f.points, "text": f.text}
            for f in fixes(measurement.indicators)
        ],
    }


def _public(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "values"}


def dqv_triples(iri: str, measurement: "QualityMeasurement") -> list[Triple]:
    """DQV statements of a stored measurement of the dataset ``iri``."""
    dataset = NamedNode(iri)
    when = Literal(_utc(measurement.measured_at), datatype=XSD.dateTime)
    prefix = "q" + hashlib.sha1(iri.encode(), usedforsecurity=False).hexdigest()[:10]
    nodes = [_node(label) for label in measurement.distributions]
    out: list[Triple] = []

    def add(target, metric_iri: str, value: Literal) -> None:
        node = BlankNode(f"{prefix}m{len(out) // 6}")
        out.extend(
            [
                Triple(target, DQV.hasQualityMeasurement, node),
                Triple(node, RDF.type, DQV.QualityMeasurement),
                Triple(node, DQV.isMeasurementOf, NamedNode(metric_iri)),
                Triple(node, DQV.computedOn, target),
                Triple(node, DQV.value, value),
                Triple(node, PROV.generatedAtTime, when),
            ]
        )

    for key, data in measurement.indicators.items():
        metric = METRIC_BY_KEY.get(key)
        if metric is None:
            continue
        values = data.get("values")
        if values and len(values) == len(nodes):
            for target, value in zip(nodes, values, strict=True):
                if value is not None:
                    add(target, metric.iri, _literal(value))
        elif metric.on != "distribution":
            add(dataset, metric.iri, _literal(data["met"] == data["of"]))
    add(dataset, SCORE_IRI, _literal(measurement.total))
    return out


def dqv_ntriples(iri: str, measurement: "QualityMeasurement") -> str:
    return serialize(dqv_triples(iri, measurement), format=RdfFormat.N_TRIPLES).decode("utf-8")


def _node(label: str) -> NamedNode | BlankNode:
    return BlankNode(label[2:]) if label.startswith("_:") else NamedNode(label)


def _literal(value: bool | int) -> Literal:
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=XSD.boolean)
    return Literal(str(int(value)), datatype=XSD.integer)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
