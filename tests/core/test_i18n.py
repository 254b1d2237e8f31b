"""German by default, English on request: pages, messages, catalogues and language marks."""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.base import Lexer, TokenType

from allmende.catalog.forms import DatasetForm
from allmende.catalog.services.datasets import create_dataset
from allmende.catalog.services.graphs import DatasetError
from allmende.core import i18n
from allmende.core.models import Organisation

from ..conftest import make_fields

LOCALE = Path(settings.LOCALE_PATHS[0])
GERMAN = LOCALE / "de" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdirf%]")
TAG = re.compile(r"</?[a-z][^>]*>")


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def german_only(publish):
    """A published dataset with no English title or description (indexed for search)."""
    return publish("Haltestellen", title_en="", description="Alle Haltestellen.")


def _english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/datasets/"})
    assert response.status_code == 302 and response["Location"] == "/datasets/"


# Pages


def test_pages_are_german_by_default(client, dataset):
    home = client.get("/").content.decode()
    assert '<html lang="de">' in home
    assert "Offene Daten für" in home and "Neu veröffentlicht" in home and "Anmelden" in home
    assert '<button name="language" value="en" lang="en"' in home  # the switch, in English
    listing = client.get("/datasets/").content.decode()
    assert "<h1>Datensätze</h1>" in listing
    assert "1 Datensatz" in listing and "Filter anwenden" in listing and "Umwelt" in listing
    assert "Log in" not in listing and "Apply filters" not in listing


def test_a_language_the_platform_lacks_gets_german(client, dataset):
    page = client.get("/datasets/", headers={"Accept-Language": "fr"}).content.decode()
    assert '<html lang="de">' in page and "Datensätze durchsuchen" in page


def test_the_language_switch_renders_english_and_back(client, dataset):
    _english(client)
    page = client.get("/datasets/").content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Datasets</h1>" in page and "1 dataset" in page and "Log in" in page
    assert "Environment" in page and "Tree register" in page  # theme label, English title
    assert '<button name="language" value="de" lang="de" class="link-button">Deutsch' in page
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="de">' in client.get("/").content.decode()


def test_german_text_on_an_english_page_is_marked(client, dataset, german_only):
    _english(client)
    listing = _main(client.get("/datasets/"))
    assert '<a href="/dataset/haltestellen"><span lang="de">Haltestellen</span></a>' in listing
    assert '<a href="/dataset/baumkataster">Tree register</a>' in listing
    # make_fields has no English description: the German one is marked
    assert '<span lang="de">Alle Straßenbäume' in listing
    detail = _main(client.get("/dataset/baumkataster"))
    assert "<h1>Tree register" in detail and '<span lang="de">Alle Straßenbäume' in detail


def test_a_german_page_marks_nothing_german(client, dataset, german_only):
    page = _main(client.get("/datasets/"))
    assert "Haltestellen" in page and "Baumkataster" in page
    assert 'lang="de"' not in page


def test_the_form_marks_the_language_of_each_text_field(db):
    form = DatasetForm(organisations=Organisation.objects.none())
    assert 'lang="de"' in str(form["title"]) and 'lang="de"' in str(form["description"])
    assert 'lang="en"' in str(form["title_en"]) and 'lang="en"' in str(form["description_en"])


def test_error_pages_speak_the_visitors_language(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
    english = client.get("/no-such-page/", headers={"Accept-Language": "en"})
    assert "Page not found" in english.content.decode()


def test_a_refusal_says_why_in_german(client, dataset, outsider):
    client.force_login(outsider)
    response = client.get("/dataset/baumkataster/edit/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Zugriff verweigert" in page and "Sie dürfen diesen Datensatz nicht bearbeiten." in page


# Messages outside requests: the default language


def test_service_and_command_messages_are_german_by_default(organisation, editor):
    with pytest.raises(DatasetError, match="ein Datensatz braucht einen Titel"):
        create_dataset(publisher=organisation, fields=make_fields(title=" "), by=editor)
    with pytest.raises(CommandError, match="Datei nicht gefunden"):
        call_command("catalog", "import", "/nonexistent.ttl")


# Catalogues


def test_every_german_message_is_translated_with_the_same_placeholders():
    catalogue = polib.pofile(str(GERMAN))
    assert len(catalogue) > 250
    for entry in catalogue:
        assert not entry.fuzzy, entry.msgid
        if entry.msgid_plural:
            forms = [
                (entry.msgid, entry.msgstr_plural[0]),
                (entry.msgid_plural, entry.msgstr_plural[1]),
            ]
        else:
            forms = [(entry.msgid, entry.msgstr)]
        for source, translation in forms:
            assert translation.strip(), f"untranslated: {source!r}"
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translation))
            assert sorted(TAG.findall(source)) == sorted(TAG.findall(translation)), source


def test_the_shipped_mo_files_are_compiled_from_their_po_files():
    catalogues = i18n.catalogues()
    assert {i18n.language_of(po) for po in catalogues} == {"de", "en"}
    for po in catalogues:
        assert po.with_suffix(".mo").read_bytes() == polib.pofile(str(po)).to_binary(), po
    assert i18n.catalogue_problems() == []


def test_the_catalogues_hold_exactly_the_strings_of_the_code():
    """What ``make messages`` would extract is all there, and nothing stale is left."""
    sources = set(i18n.source_messages())
    assert ("", "Datasets") in sources and ("figure", "dataset") in sources
    for po in i18n.catalogues():
        entries = {(e.msgctxt or "", e.msgid) for e in polib.pofile(str(po)) if not e.obsolete}
        assert not sources - entries, f"run `make messages`: {sorted(sources - entries)[:5]}"
        assert not entries - sources, f"stale in {po}: {sorted(entries - sources)[:5]}"


def test_extraction_reads_gettext_calls_like_xgettext():
    code = (
        "from django.utils.translation import gettext_lazy as _, npgettext\n"
        'A = _("One " "string")\n'
        'B = npgettext("ctx", "%(n)s apple", "%(n)s apples", n)\n'
        'C = _(f"not {this}")\n'
        "D = _(name)\n"
    )
    assert list(i18n.messages_in_code(code)) == [("", "One string"), ("ctx", "%(n)s apple")]
    template = (
        '{% load i18n %}{% translate "Hello" %} <b title="{% translate \'Tip\' %}">x</b>\n'
        "{% blocktranslate count n=k context 'c' %}{{ n }} item{% plural %}{{ n }} items"
        "{% endblocktranslate %}{% include 'x.html' with title=_('Theme') %}"
    )
    assert set(i18n.messages_in_template(template)) == {
        ("", "Hello"),
        ("", "Tip"),
        ("c", "%(n)s item"),
        ("", "Theme"),
    }


@pytest.fixture
def locale_copy(tmp_path, settings) -> Path:
    """The catalogues copied to a temporary LOCALE_PATHS, to break them on purpose."""
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy)
    settings.LOCALE_PATHS = [copy]
    return copy


def test_check_names_each_problem_in_one_line(locale_copy, capsys):
    assert i18n.main(["check"]) == 0
    po_path = locale_copy / "de" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    catalogue.find("Datasets").msgstr = ""
    catalogue.find("Publish").flags.append("fuzzy")
    catalogue.save()
    (locale_copy / "en" / "LC_MESSAGES" / "django.mo").unlink()
    capsys.readouterr()
    assert i18n.main(["check"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3 and all(line.startswith("i18n: ") for line in lines)
    out_of_date, untranslated, missing = lines
    assert "de/LC_MESSAGES/django.mo is out of date" in out_of_date
    assert "1 untranslated and 1 fuzzy" in untranslated and "'Datasets'" in untranslated
    assert "en/LC_MESSAGES/django.mo is missing" in missing
    assert i18n.main(["compile"]) == 0
    assert i18n.catalogue_problems() == [untranslated.removeprefix("i18n: ")]


def test_check_notices_strings_missing_from_the_catalogues(locale_copy):
    catalogue = polib.pofile(str(locale_copy / "de" / "LC_MESSAGES" / "django.po"))
    catalogue.remove(catalogue.find("Skip to content"))
    catalogue.save()
    problems = i18n.extraction_problems()
    assert len(problems) == 1
    assert "lacks 1 message(s)" in problems[0] and "'Skip to content'" in problems[0]
    assert "base.html" in problems[0] and "make messages" in problems[0]


# Templates: every word a person reads goes through {% translate %}

# Names and formats that read the same in every language.
NEUTRAL = {"API", "AP", "DCAT", "de", "IRI", "Jena", "JSON", "LD", "OpenAPI", "RDF", "Triples"}
NEUTRAL |= {"Turtle", "XML"}
READ_ATTRIBUTES = {"alt", "aria-label", "placeholder", "title"}
UNREAD = {"code", "pre", "script", "style"}
MARK = "\ue000"  # stands for template tags and variables


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.unread = 0

    def handle_starttag(self, tag, attrs):
        self.unread += tag in UNREAD
        self.found += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        self.unread -= tag in UNREAD and self.unread > 0

    def handle_data(self, data):
        if not self.unread:
            self.found.append(data)


def _untranslated(source: str) -> list[str]:
    """Words in the text of a template that no translation tag covers."""
    parts, skip = [], None
    for token in Lexer(source).tokenize():
        words = token.contents.split()
        if skip:
            skip = None if words and words[0] == skip else skip
        elif token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        else:
            first = words[0] if words else ""
            if token.token_type == TokenType.BLOCK and first in ("blocktranslate", "blocktrans"):
                skip = "end" + first
            elif token.token_type == TokenType.BLOCK and first == "comment":
                skip = "endcomment"
            parts.append(MARK)
    parser = _Text()
    parser.feed("".join(parts))
    parser.close()
    text = re.sub(r"\S*/\S*|\.\w+", " ", " ".join(parser.found))  # paths, URLs, .ext
    words = re.findall(r"[^\W\d_]{2,}", text)
    return [word for word in words if word not in NEUTRAL]


def test_templates_have_no_text_outside_translation_tags():
    templates = sorted(i18n.PACKAGE_DIR.glob("*/templates/**/*.html"))
    assert len(templates) > 15
    found = {
        str(path.relative_to(i18n.PACKAGE_DIR)): words
        for path in templates
        if (words := _untranslated(path.read_text(encoding="utf-8")))
    }
    assert not found, f"wrap these in {{% translate %}}: {found}"


def test_the_template_check_sees_bare_text():
    assert _untranslated('<p title="Hint">Hello {{ name }}</p>') == ["Hint", "Hello"]
    assert _untranslated("{% blocktranslate %}Hello{% endblocktranslate %}<pre>curl</pre>") == []
