"""Reading a source ahead in a second process: what reaches the run when the reader
crashes, fails or is no longer wanted. (Whole runs in both modes: test_harvest.py.)"""

import multiprocessing
import os
from collections.abc import Iterator

import pytest

from allmende.catalog.harvest.harvesters import Harvester, HarvestError, HarvestPage
from allmende.catalog.services.harvest_reading import Publishers, read_pages


class _Pages(Harvester):
    """A source of empty pages that ends the way ``ending`` says, in the reading process."""

    def __init__(self, ending: str, count: int = 1):
        super().__init__("https://portal.example/catalog")
        self.ending, self.count = ending, count

    def pages(self) -> Iterator[HarvestPage]:
        for n in range(self.count):
            yield HarvestPage(url=f"{self.url}?page={n + 1}", records=[], total=self.count)
        if self.ending == "crash":
            os._exit(3)
        if self.ending == "bug":
            raise RuntimeError("boom")
        if self.ending == "unreadable":
            raise HarvestError("page 2: not RDF")
        if self.ending == "loop":
            self.loop_at = f"{self.url}?page=1"
        if self.ending == "endless":
            while True:
                yield HarvestPage(url=self.url, records=[])


def _read(harvester: Harvester) -> list[str]:
    return [page.url for page in read_pages(harvester, Publishers(), ahead=2)]


def test_pages_come_in_order_and_the_loop_found_comes_back(english):
    harvester = _Pages("loop", count=5)
    assert _read(harvester) == [f"https://portal.example/catalog?page={n}" for n in range(1, 6)]
    assert harvester.loop_at == "https://portal.example/catalog?page=1"


def test_a_reader_that_dies_fails_the_run_with_its_exit_code(english):
    got: list[str] = []
    with pytest.raises(HarvestError, match="stopped unexpectedly \\(exit code 3\\)"):
        for page in read_pages(_Pages("crash", count=2), Publishers(), ahead=2):
            got.append(page.url)
    # pages put just before the crash may be lost with the process, never reordered
    assert got == [f"https://portal.example/catalog?page={n}" for n in range(1, 3)][: len(got)]


@pytest.mark.parametrize(
    ("ending", "message"),
    [("bug", "reading the source failed: boom"), ("unreadable", "page 2: not RDF")],
)
def test_errors_in_the_reader_reach_the_run_as_one_line(ending, message, english):
    with pytest.raises(HarvestError, match=message):
        _read(_Pages(ending))


def test_a_run_that_stops_early_ends_its_reader(english):
    pages = read_pages(_Pages("endless"), Publishers(), ahead=2)
    next(pages)
    pages.close()  # the run failed storing a page, say
    assert multiprocessing.active_children() == []
