"""Skipping pages that came exactly as before (see ``HarvestPageState``).

A page whose bytes have the same digest as at its last reading produces the same
records with the same canonical graphs. If every one of them is still stored with that
graph, for this source and not withdrawn, the page is unchanged as a whole: the run
counts its records as unchanged and reports its old failures and defects again, without
parsing anything. Any difference (a dataset edited here, deleted or withdrawn) and the
page is read and stored the ordinary way.
"""

from collections.abc import Callable

from ..models import Dataset, HarvestIssue, HarvestPageState, HarvestRun, HarvestSource
from .writing import ImportedEntry


def known_pages(source: HarvestSource) -> Callable[[str, str], HarvestPageState | None]:
    """The ``known(url, digest)`` callback for a harvester of ``source``."""
    states = {state.url: state for state in source.pages.all()}

    def known(url: str, digest: str) -> HarvestPageState | None:
        state = states.get(url)
        return state if state is not None and state.digest == digest else None

    return known


def still_stored(source: HarvestSource, state: HarvestPageState) -> list[int] | None:
    """The primary keys of the page's datasets if all are stored as then, else None."""
    expected = {iri: digest for iri, digest in state.entries}
    found: dict[str, tuple[int, str]] = {}
    iris = list(expected)
    for start in range(0, len(iris), 500):
        rows = (
            Dataset.objects.filter(iri__in=iris[start : start + 500], harvest_source=source)
            .exclude(status=Dataset.Status.WITHDRAWN)
            .values_list("iri", "pk", "graph_hash")
        )
        found.update((iri, (pk, digest)) for iri, pk, digest in rows)
    if len(found) != len(expected):
        return None
    if any(found[iri][1] != digest for iri, digest in expected.items()):
        return None
    return [pk for pk, _ in found.values()]


def replay_issues(run: HarvestRun, state: HarvestPageState) -> list[HarvestIssue]:
    """The failures and defects of the page's last reading, for this run's report."""
    return [
        HarvestIssue(run=run, kind=kind, identifier=identifier, messages=messages)
        for kind, identifier, messages in state.issues
    ]


def remember_page(
    source: HarvestSource,
    *,
    url: str,
    digest: str,
    next_url: str | None,
    total: int | None,
    records: int,
    entries: list[ImportedEntry],
    issues: list[HarvestIssue],
    graph_hashes: dict[str, str],
) -> None:
    """Store what the page held now, for the next run."""
    HarvestPageState.objects.update_or_create(
        source=source,
        url=url[:2000],
        defaults={
            "digest": digest,
            "next_url": (next_url or "")[:2000],
            "total": total,
            "records": records,
            "entries": [[e.iri, graph_hashes[e.iri]] for e in entries],
            "issues": [[i.kind, i.identifier, i.messages] for i in issues],
        },
    )
