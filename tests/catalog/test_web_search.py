"""The dataset list through the search engine: facets with counts, filters, dates, map
area, sorting, paging and suggestions while typing, in German and English.

Datasets are made by the services with their after-commit signals run (``committed``), so
the search index follows as it does in production; on PostgreSQL the list searches the
database's full-text table, on SQLite the tantivy index of the test.
"""

import pytest

from allmende.catalog.services.datasets import create_dataset
from allmende.catalog.views import listing

from ..conftest import CC_BY, make_fields


def names(response) -> list[str]:
    return [dataset.name for dataset in response.context["page"]]


def facet(response, param) -> dict[str, tuple[str, int, bool]]:
    (group,) = [g for g in response.context["facets"] if g.param == param]
    return {v.value: (v.label, v.count, v.checked) for v in group.values}


def test_facets_are_counted_over_the_matches(client, catalogue):
    response = client.get("/datasets/")
    assert response.context["page"].paginator.count == 4
    assert facet(response, "theme") == {"ENVI": ("Umwelt", 2, False), "TRAN": ("Verkehr", 2, False)}
    assert facet(response, "keyword")["Umwelt"][1] == 3
    assert facet(response, "publisher") == {"stadt-jena": ("Stadt Jena", 4, False)}
    assert facet(response, "format") == {"CSV": ("CSV", 1, False)}
    licences = facet(response, "license")
    assert licences[CC_BY][1] == 1 and licences[CC_BY][0] != CC_BY  # shown by name
    filtered = client.get("/datasets/", {"keyword": "Verkehr"})
    assert sorted(names(filtered)) == ["parkhauser", "radwege"]
    assert facet(filtered, "theme") == {"TRAN": ("Verkehr", 2, False)}
    assert facet(filtered, "keyword")["Verkehr"] == ("Verkehr", 2, True)
    page = filtered.content.decode()
    assert 'name="keyword" value="Verkehr" id="f-keyword-' in page and " checked>" in page


def test_values_of_one_facet_are_ored_facets_anded_and_words_narrow(client, catalogue):
    either = client.get("/datasets/", {"theme": ["ENVI", "TRAN"]})
    assert either.context["page"].paginator.count == 4
    both = client.get("/datasets/", {"theme": "TRAN", "license": CC_BY})
    assert names(both) == ["parkhauser"]
    worded = client.get("/datasets/", {"q": "Bäume", "theme": "ENVI"})
    assert sorted(names(worded)) == ["baumkataster", "luftqualitat"]
    nothing = client.get("/datasets/", {"q": "Haushaltsplan"})
    assert names(nothing) == []
    assert "Keine passenden Datensätze gefunden." in nothing.content.decode()


def test_sorting_by_relevance_modification_and_title(client, catalogue):
    assert names(client.get("/datasets/", {"sort": "title"})) == [
        "baumkataster", "luftqualitat", "parkhauser", "radwege",
    ]  # fmt: skip
    newest = ["baumkataster", "luftqualitat", "radwege", "parkhauser"]
    assert names(client.get("/datasets/", {"sort": "modified"})) == newest
    assert names(client.get("/datasets/", {"sort": "newest"})) == newest  # old bookmarks
    # A word in the title ranks above the same word in the description.
    assert names(client.get("/datasets/", {"q": "Radwege"})) == ["radwege"]
    assert names(client.get("/datasets/", {"q": "Baum"}))[0] == "baumkataster"
    unknown = client.get("/datasets/", {"sort": "colour"})
    assert unknown.status_code == 200 and unknown.context["sort"] == "relevance"


def test_modified_range_and_map_area(client, catalogue):
    range_ = {"modified_from": "2024-01-01", "modified_until": "2025-01-01"}
    assert sorted(names(client.get("/datasets/", range_))) == ["luftqualitat", "radwege"]
    since = client.get("/datasets/", {"modified_from": "2025-01-02"})
    assert names(since) == ["baumkataster"]
    assert "Geändert ab 02.01.2025" in since.content.decode()
    jena = client.get("/datasets/", {"bbox": "11.5,50.85,11.7,50.95"})
    assert names(jena) == ["baumkataster"]  # only it has a place (Jena's key)
    assert "Kartenausschnitt 11.5, 50.85, 11.7, 50.95" in jena.content.decode()
    assert names(client.get("/datasets/", {"bbox": "13.0,52.3,13.8,52.7"})) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"bbox": "11.5,50.8"}, "Geben Sie vier durch Kommas getrennte Zahlen ein"),
        ({"bbox": "12,50,11,51"}, "West darf nicht größer als Ost sein"),
        ({"bbox": "0,-95,1,1"}, "Breitengrade zwischen -90 und 90"),
        ({"modified_from": "2025-02-01", "modified_until": "2025-01-01"}, "vor dem Anfang"),
        ({"modified_from": "gestern"}, "Bitte ein gültiges Datum eingeben."),
    ],
)
def test_invalid_ranges_are_explained_and_left_out(client, catalogue, params, message):
    response = client.get("/datasets/", params)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'aria-invalid="true"' in page
    assert response.context["page"].paginator.count >= 1  # searched without the bad field


def test_paging_keeps_the_query(client, catalogue, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 3)
    first = client.get("/datasets/", {"sort": "title", "keyword": "Umwelt"})
    assert names(first) == ["baumkataster", "luftqualitat", "radwege"]
    assert first.context["page"].paginator.num_pages == 1
    everything = client.get("/datasets/", {"sort": "title"})
    assert everything.context["page"].has_next()
    assert "page=2" in everything.content.decode() and "sort=title" in everything.content.decode()
    second = client.get("/datasets/", {"sort": "title", "page": "2"})
    assert names(second) == ["radwege"]
    beyond = client.get("/datasets/", {"sort": "title", "page": "99"})
    assert names(beyond) == ["radwege"] and beyond.context["page"].number == 2
    assert names(client.get("/datasets/", {"sort": "title", "page": "x"}))[0] == "baumkataster"


def test_drafts_are_listed_for_their_editors_only(
    client, editor_client, organisation, editor, committed
):
    committed(
        create_dataset, publisher=organisation, fields=make_fields(title="Entwurf"), by=editor
    )
    assert names(client.get("/datasets/")) == []
    page = editor_client.get("/datasets/", {"q": "Entwurf"})
    assert names(page) == ["entwurf"] and "Entwurf" in page.content.decode()


def test_the_form_is_labelled_grouped_and_keeps_the_other_choices(client, catalogue):
    page = client.get(
        "/datasets/", {"q": "Baum", "theme": "ENVI", "sort": "modified", "bbox": "11,50,12,51"}
    ).content.decode()
    assert '<label class="visually-hidden" for="q">Datensätze durchsuchen</label>' in page
    assert "<legend>Zuletzt geändert</legend>" in page and "<legend>Kategorie</legend>" in page
    assert '<label for="id_modified_from">Von:</label>' in page
    assert 'type="date" name="modified_from"' in page
    assert 'aria-describedby="id_bbox_helptext"' in page
    # The sort form carries the words and filters along, the filter form the words and sort.
    assert '<input type="hidden" name="theme" value="ENVI">' in page
    assert '<input type="hidden" name="sort" value="modified">' in page
    assert '<option value="modified" selected>Zuletzt geändert</option>' in page
    assert 'aria-label="Filter entfernen: Umwelt"' in page
    assert 'href="?q=Baum&amp;sort=modified">Alle Filter entfernen</a>' in page


def test_english_labels(client, catalogue):
    page = client.get("/datasets/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "<legend>Last modified</legend>" in page and "<legend>Harvest source</legend>" not in page
    )
    assert '<option value="relevance" selected>Relevance</option>' in page
    assert "West, south, east and north edge in degrees" in page


def test_suggestions_complete_the_last_word(client, catalogue):
    response = client.get("/datasets/suggest", {"q": "bä"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    # Folded: "bä" also completes to "Baumkataster"; the most frequent word first.
    assert response.json() == {"q": "bä", "suggestions": ["Bäume", "Baumkataster"]}
    assert "public" in response["Cache-Control"]
    assert client.get("/datasets/suggest", {"q": "Daten  ver"}).json()["suggestions"] == [
        "Daten Verkehr"
    ]
    assert client.get("/datasets/suggest", {"q": ""}).json()["suggestions"] == []
    assert client.get("/datasets/suggest").json() == {"q": "", "suggestions": []}


def test_suggestions_are_wired_to_the_search_box_without_needing_script(client, catalogue):
    page = client.get("/datasets/").content.decode()
    assert 'list="q-suggestions"' in page and '<datalist id="q-suggestions"></datalist>' in page
    assert 'data-suggest-url="/datasets/suggest"' in page
    assert '<script src="/static/allmende/js/dataset-suggest.js" defer></script>' in page
    home = client.get("/").content.decode()  # the home page's search box as well
    assert 'list="home-q-suggestions"' in home and 'data-suggest-url="/datasets/suggest"' in home
    assert "allmende/js/dataset-suggest.js" in home
    script = client.get("/static/allmende/js/dataset-suggest.js")
    assert script.status_code == 200
    body = b"".join(script.streaming_content) if script.streaming else script.content
    assert b"data-suggest-url" in body and b"datalist" in body
