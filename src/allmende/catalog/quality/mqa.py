"""Metadata quality as data.europa.eu's Metadata Quality Assessment (MQA) scores it.

Pure: takes one dataset's description (its triples), the number of DCAT-AP.de SHACL
violations and the HTTP status codes of the URLs it names, and returns points per
indicator and dimension, the total (at most 405) and the rating band.

Five dimensions with their indicators and points, as the methodology sets them; the
metric IRIs are those data.europa.eu publishes its DQV measurements with:

============  ===========================================  ======  ============
dimension     indicator (metric)                           points  computed on
============  ===========================================  ======  ============
findability   keywords (keywordAvailability)                   30  dataset
              themes (categoryAvailability)                    30  dataset
              spatial coverage (spatialAvailability)           20  dataset
              temporal coverage (temporalAvailability)         20  dataset
accessibility access URL reachable (accessUrlStatusCode)       50  distribution
              download URL given (downloadUrlAvailability)     20  distribution
              download URL reachable (downloadUrlStatusCode)   30  distribution
interop.      format given (formatAvailability)                20  distribution
              media type given (mediaTypeAvailability)         10  distribution
              format/media type from vocabularies              10  distribution
              non-proprietary format                           20  distribution
              machine-readable format                          20  distribution
              DCAT-AP compliance (dcatApCompliance)            30  dataset
reusability   licence given (licenceAvailability)              20  distribution
              licence from vocabulary (knownLicence)           10  distribution
              access rights given                              10  dataset
              access rights from vocabulary                     5  dataset
              contact point (contactPointAvailability)         20  dataset
              publisher (publisherAvailability)                10  dataset
context.      rights (rightsAvailability)                       5  distribution
              file size (byteSizeAvailability)                  5  distribution
              date of issue (dateIssuedAvailability)            5  dataset or distr.
              modification date (dateModifiedAvailability)      5  dataset or distr.
============  ===========================================  ======  ============

How distribution indicators count for a dataset: by the share of its distributions that
meet them (two of four distributions with a format: 10 of 20 points), rounded half up to
whole points; a dataset without distributions gets none of these points. Dates count in
full when the dataset states them, else by the share of distributions that do. A URL
counts as reachable when its final answer (after redirects) is HTTP 200-399; a URL not
checked yet counts as not reachable and is reported as pending.

Bands: excellent 351-405, good 221-350, sufficient 121-220, bad 0-120.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..dcat.canon import parse_ntriples
from ..dcat.extract import Node
from ..dcat.namespaces import DCAT, DCT
from . import vocabulary as vocab

PV = "https://piveau.eu/ns/voc#"
DIMENSIONS = ("findability", "accessibility", "interoperability", "reusability", "contextuality")
BANDS = (("excellent", 351), ("good", 221), ("sufficient", 121), ("bad", 0))
DATASET, DISTRIBUTION, EITHER = "dataset", "distribution", "either"


@dataclass(frozen=True)
class Metric:
    key: str  # the local name of the metric IRI
    dimension: str
    points: int
    on: str  # DATASET, DISTRIBUTION or EITHER

    @property
    def iri(self) -> str:
        return PV + self.key


METRICS = (
    Metric("keywordAvailability", "findability", 30, DATASET),
    Metric("categoryAvailability", "findability", 30, DATASET),
    Metric("spatialAvailability", "findability", 20, DATASET),
    Metric("temporalAvailability", "findability", 20, DATASET),
    Metric("accessUrlStatusCode", "accessibility", 50, DISTRIBUTION),
    Metric("downloadUrlAvailability", "accessibility", 20, DISTRIBUTION),
    Metric("downloadUrlStatusCode", "accessibility", 30, DISTRIBUTION),
    Metric("formatAvailability", "interoperability", 20, DISTRIBUTION),
    Metric("mediaTypeAvailability", "interoperability", 10, DISTRIBUTION),
    Metric("formatMediaTypeVocabularyAlignment", "interoperability", 10, DISTRIBUTION),
    Metric("formatMediaTypeNonProprietary", "interoperability", 20, DISTRIBUTION),
    Metric("formatMediaTypeMachineInterpretable", "interoperability", 20, DISTRIBUTION),
    Metric("dcatApCompliance", "interoperability", 30, DATASET),
    Metric("licenceAvailability", "reusability", 20, DISTRIBUTION),
    Metric("knownLicence", "reusability", 10, DISTRIBUTION),
    Metric("accessRightsAvailability", "reusability", 10, DATASET),
    Metric("accessRightsVocabularyAlignment", "reusability", 5, DATASET),
    Metric("contactPointAvailability", "reusability", 20, DATASET),
    Metric("publisherAvailability", "reusability", 10, DATASET),
    Metric("rightsAvailability", "contextuality", 5, DISTRIBUTION),
    Metric("byteSizeAvailability", "contextuality", 5, DISTRIBUTION),
    Metric("dateIssuedAvailability", "contextuality", 5, EITHER),
    Metric("dateModifiedAvailability", "contextuality", 5, EITHER),
)
METRIC_BY_KEY = {m.key: m for m in METRICS}
SCORE_IRI = PV + "score"
MAX_POINTS = sum(m.points for m in METRICS)
DIMENSION_MAX = {d: sum(m.points for m in METRICS if m.dimension == d) for d in DIMENSIONS}


def band_for(total: int) -> str:
    """The rating band of a total score."""
    for band, lowest in BANDS:
        if total >= lowest:
            return band
    return "bad"


def round_half_up(value: float) -> int:
    return int(value + 0.5)


@dataclass
class IndicatorResult:
    """One indicator for one dataset: how many of the assessed items meet it."""

    metric: Metric
    met: int
    of: int
    pending: int = 0  # items whose URLs are not checked yet
    values: list = field(default_factory=list)  # per distribution: bool, or a status code

    @property
    def points(self) -> int:
        return round_half_up(self.metric.points * self.met / self.of) if self.of else 0

    def to_json(self) -> dict:
        out = {
            "dimension": self.metric.dimension,
            "points": self.points,
            "max": self.metric.points,
            "met": self.met,
            "of": self.of,
        }
        if self.pending:
            out["pending"] = self.pending
        if self.values:
            out["values"] = self.values
        return out


@dataclass
class Assessment:
    """Everything the MQA says about one dataset."""

    indicators: list[IndicatorResult]
    distributions: list[str]  # distribution nodes (IRI or ``_:label``), in values' order

    @property
    def total(self) -> int:
        return sum(i.points for i in self.indicators)

    @property
    def band(self) -> str:
        return band_for(self.total)

    @property
    def dimensions(self) -> dict[str, int]:
        out = dict.fromkeys(DIMENSIONS, 0)
        for indicator in self.indicators:
            out[indicator.metric.dimension] += indicator.points
        return out

    def indicators_json(self) -> dict[str, dict]:
        return {i.metric.key: i.to_json() for i in self.indicators}


class _Index:
    """subject -> predicate -> objects, built in one pass."""

    def __init__(self, triples: list[Triple]):
        self.props: dict = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.props[t.subject][t.predicate].append(t.object)

    def values(self, subject: Node, predicate: NamedNode) -> list:
        found = self.props.get(subject)
        return found.get(predicate, []) if found is not None else []

    def has(self, subject: Node, predicate: NamedNode) -> bool:
        return any(_given(v) for v in self.values(subject, predicate))

    def texts(self, subject: Node, predicate: NamedNode) -> list[tuple[str, bool]]:
        """(value, is IRI) of IRIs and literals."""
        return [
            (v.value.strip(), isinstance(v, NamedNode))
            for v in self.values(subject, predicate)
            if isinstance(v, NamedNode | Literal) and v.value.strip()
        ]


def _given(value: object) -> bool:
    return not isinstance(value, Literal) or bool(value.value.strip())


def node_label(node: Node) -> str:
    return f"_:{node.value}" if isinstance(node, BlankNode) else node.value


def assess(
    subject: Node,
    triples: list[Triple],
    *,
    shacl_violations: int,
    url_status: Mapping[str, int],
) -> Assessment:
    """Score one dataset. ``url_status`` maps a URL to its last HTTP status (0: no
    answer); URLs missing from it are not checked yet."""
    index = _Index(triples)
    nodes = sorted(
        (d for d in index.values(subject, DCAT.distribution) if not isinstance(d, Literal)),
        key=node_label,
    )
    context = _Context(index, subject, nodes, shacl_violations, url_status)
    indicators = [_CHECKS[m.on](context, m) for m in METRICS]
    return Assessment(indicators=indicators, distributions=[node_label(n) for n in nodes])


@dataclass
class _Context:
    index: _Index
    subject: Node
    distributions: list[Node]
    shacl_violations: int
    url_status: Mapping[str, int]


def _dataset_indicator(context: _Context, metric: Metric) -> IndicatorResult:
    met = _DATASET_TESTS[metric.key](context)
    return IndicatorResult(metric, met=int(met), of=1)


def _distribution_indicator(context: _Context, metric: Metric) -> IndicatorResult:
    test = _DISTRIBUTION_TESTS[metric.key]
    values = [test(context, node) for node in context.distributions]
    return IndicatorResult(
        metric,
        met=sum(1 for v in values if _counts(v)),
        of=len(values),
        pending=sum(1 for v in values if v is None),
        values=values,
    )


def _either_indicator(context: _Context, metric: Metric) -> IndicatorResult:
    predicate = DCT.issued if metric.key == "dateIssuedAvailability" else DCT.modified
    if context.index.has(context.subject, predicate):
        return IndicatorResult(metric, met=1, of=1)
    values = [context.index.has(node, predicate) for node in context.distributions]
    if not values:
        return IndicatorResult(metric, met=0, of=1)
    return IndicatorResult(metric, met=sum(values), of=len(values), values=values)


def _counts(value: object) -> bool:
    """A per-distribution value that meets the indicator: True or a 2xx/3xx status."""
    if isinstance(value, bool):
        return value
    return isinstance(value, int) and 200 <= value < 400


_CHECKS: dict[str, Callable[[_Context, Metric], IndicatorResult]] = {
    DATASET: _dataset_indicator,
    DISTRIBUTION: _distribution_indicator,
    EITHER: _either_indicator,
}


def _access_rights_known(c: _Context) -> bool:
    return any(
        is_iri and vocab.access_right_in_vocabulary(value)
        for value, is_iri in c.index.texts(c.subject, DCT.accessRights)
    )


_DATASET_TESTS: dict[str, Callable[[_Context], bool]] = {
    "keywordAvailability": lambda c: c.index.has(c.subject, DCAT.keyword),
    "categoryAvailability": lambda c: c.index.has(c.subject, DCAT.theme),
    "spatialAvailability": lambda c: c.index.has(c.subject, DCT.spatial),
    "temporalAvailability": lambda c: c.index.has(c.subject, DCT.temporal),
    "dcatApCompliance": lambda c: c.shacl_violations == 0,
    "accessRightsAvailability": lambda c: c.index.has(c.subject, DCT.accessRights),
    "accessRightsVocabularyAlignment": _access_rights_known,
    "contactPointAvailability": lambda c: c.index.has(c.subject, DCAT.contactPoint),
    "publisherAvailability": lambda c: c.index.has(c.subject, DCT.publisher),
}


def _url_status(c: _Context, node: Node, predicate: NamedNode) -> int | bool | None:
    """The best status of the node's URLs; False when it names none, None when none of
    them is checked yet."""
    urls = [value for value, _iri in c.index.texts(node, predicate)]
    if not urls:
        return False
    known = [c.url_status[url] for url in urls if url in c.url_status]
    if not known:
        return None
    reachable = [s for s in known if 200 <= s < 400]
    return reachable[0] if reachable else max(known)


def _codes(c: _Context, node: Node) -> set[str]:
    """The file-type codes a distribution's format and media type stand for."""
    codes = {vocab.file_type_of(value) for value, _ in c.index.texts(node, DCT.format)}
    codes |= {vocab.media_type_file_type(v) for v, _ in c.index.texts(node, DCAT.mediaType)}
    return codes - {""}


def _aligned(c: _Context, node: Node) -> bool:
    formats = c.index.texts(node, DCT.format)
    media = c.index.texts(node, DCAT.mediaType)
    if not formats and not media:
        return False
    return all(vocab.format_in_vocabulary(v, is_iri=iri) for v, iri in formats) and all(
        vocab.media_type_in_vocabulary(v) for v, _ in media
    )


def _known_licence(c: _Context, node: Node) -> bool:
    return any(
        iri and vocab.licence_in_vocabulary(value)
        for value, iri in c.index.texts(node, DCT.license)
    )


_DISTRIBUTION_TESTS: dict[str, Callable[[_Context, Node], int | bool | None]] = {
    "accessUrlStatusCode": lambda c, n: _url_status(c, n, DCAT.accessURL),
    "downloadUrlAvailability": lambda c, n: c.index.has(n, DCAT.downloadURL),
    "downloadUrlStatusCode": lambda c, n: _url_status(c, n, DCAT.downloadURL),
    "formatAvailability": lambda c, n: c.index.has(n, DCT.format),
    "mediaTypeAvailability": lambda c, n: c.index.has(n, DCAT.mediaType),
    "formatMediaTypeVocabularyAlignment": _aligned,
    "formatMediaTypeNonProprietary": lambda c, n: bool(_codes(c, n) & vocab.NON_PROPRIETARY),
    "formatMediaTypeMachineInterpretable": lambda c, n: bool(_codes(c, n) & vocab.MACHINE_READABLE),
    "licenceAvailability": lambda c, n: c.index.has(n, DCT.license),
    "knownLicence": _known_licence,
    "rightsAvailability": lambda c, n: c.index.has(n, DCT.rights),
    "byteSizeAvailability": lambda c, n: c.index.has(n, DCAT.byteSize),
}


def urls_of(triples: list[Triple]) -> set[str]:
    """Every access and download URL a description names (what reachability needs)."""
    return {
        t.object.value.strip()
        for t in triples
        if t.predicate in (DCAT.accessURL, DCAT.downloadURL)
        and isinstance(t.object, NamedNode | Literal)
        and t.object.value.strip()
    }


_URL_LINES = (f" <{DCAT.accessURL.value}> ", f" <{DCAT.downloadURL.value}> ")


def urls_in(ntriples: str) -> set[str]:
    """The access and download URLs in a stored graph, reading only the lines naming them."""
    lines = [line for line in ntriples.splitlines() if any(p in line for p in _URL_LINES)]
    return urls_of(parse_ntriples("\n".join(lines) + "\n")) if lines else set()
