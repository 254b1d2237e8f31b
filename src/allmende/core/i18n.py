"""Translations without system gettext: compile the catalogues and check they are complete.

    python -m allmende.core.i18n compile   # every .po under LOCALE_PATHS -> .mo (polib)
    python -m allmende.core.i18n check     # exit 1, one line per problem, if anything is off

``make messages`` extracts the strings with Django's ``makemessages`` (which needs
xgettext) and then runs ``compile``. The .mo files are committed beside their .po files,
so an installation needs no gettext tools. ``check`` (part of ``make lint``) fails when
a .mo is missing or differs from what its .po compiles to, when a message of a language
other than the source language (English) is untranslated or fuzzy, or when a string in
the templates or the Python code is not in the catalogues yet.

polib is a development dependency; it is imported only when a command runs.
"""

import argparse
import io
import os
import sys
import tokenize
from ast import literal_eval
from collections.abc import Iterator
from pathlib import Path

SOURCE_LANGUAGE = "en"  # msgids are English; the English catalogue may stay empty
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/allmende
HINT = "run `make messages`"

# Gettext functions as makemessages tells xgettext about them: name -> argument
# positions of (context, singular, plural); None where the function has no such part.
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

Key = tuple[str, str]  # (msgctxt, msgid); msgctxt is "" without a context


def _settings():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allmende.settings")
    from django.conf import settings

    return settings


def _polib():
    try:
        import polib
    except ImportError:  # only without the development dependencies
        raise SystemExit(
            "i18n: polib is not installed; install the development dependencies "
            "(make .venv/.installed)"
        ) from None
    return polib


def _shown(path: Path) -> str:
    """A path as people read it: relative to the checkout when inside it."""
    try:
        return str(path.relative_to(PACKAGE_DIR.parent.parent))
    except ValueError:
        return str(path)


def catalogues() -> list[Path]:
    """Every .po file under the LOCALE_PATHS, in a stable order."""
    found: list[Path] = []
    for directory in _settings().LOCALE_PATHS:
        found += sorted(Path(directory).glob("*/LC_MESSAGES/*.po"))
    return found


def language_of(po: Path) -> str:
    return po.parent.parent.name  # <locale dir>/<language>/LC_MESSAGES/<domain>.po


def compiled(po: Path) -> bytes:
    """What ``po`` compiles to (translated, non-fuzzy messages and the header)."""
    return _polib().pofile(str(po)).to_binary()


def compile_all() -> list[Path]:
    """Write the .mo of every catalogue whose content changed; returns those written."""
    written = []
    for po in catalogues():
        mo, data = po.with_suffix(".mo"), compiled(po)
        if not mo.is_file() or mo.read_bytes() != data:
            mo.write_bytes(data)
            written.append(mo)
    return written


def _keys(po: Path) -> set[Key]:
    return {(e.msgctxt or "", e.msgid) for e in _polib().pofile(str(po)) if not e.obsolete}


def catalogue_problems() -> list[str]:
    """.mo files missing or out of step, untranslated or fuzzy messages."""
    problems = []
    for po in catalogues():
        mo = po.with_suffix(".mo")
        if not mo.is_file():
            problems.append(f"{_shown(mo)} is missing; {HINT}")
        elif mo.read_bytes() != compiled(po):
            problems.append(f"{_shown(mo)} is out of date with its .po; {HINT}")
        if language_of(po) == SOURCE_LANGUAGE:
            continue
        catalogue = _polib().pofile(str(po))
        fuzzy = catalogue.fuzzy_entries()
        missing = catalogue.untranslated_entries()
        if fuzzy or missing:
            example = (missing or fuzzy)[0].msgid
            problems.append(
                f"{_shown(po)}: {len(missing)} untranslated and {len(fuzzy)} fuzzy "
                f"message(s), e.g. {example!r}"
            )
    return problems


def _strings(tokens: list[tokenize.TokenInfo], start: int) -> list[str | None]:
    """The arguments of the call whose "(" is at ``start``: literals, None for others."""
    args: list[str | None] = []
    current: str | None = ""
    literal = False
    depth = 0
    for token in tokens[start + 1 :]:
        if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            continue
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}" and depth:
            depth -= 1
        elif depth == 0 and token.type == tokenize.OP and token.string in ",)":
            args.append(current if literal else None)
            if token.string == ")":
                return args
            current, literal = "", False
            continue
        if depth == 0 and token.type == tokenize.STRING and current is not None:
            try:
                value = literal_eval(token.string)
            except (ValueError, SyntaxError):  # f-strings and the like are not messages
                value = None
            if isinstance(value, str):
                current, literal = current + value, True
                continue
        current, literal = None, False
    return args


def messages_in_code(text: str) -> Iterator[Key]:
    """The (context, msgid) of every gettext call with literal arguments in Python-like
    code, read token by token as xgettext reads it."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return
    for i, token in enumerate(tokens[:-1]):
        following = tokens[i + 1]
        if token.type != tokenize.NAME or token.string not in KEYWORDS:
            continue
        if following.type != tokenize.OP or following.string != "(":
            continue
        context, singular, _plural = KEYWORDS[token.string]
        args = _strings(tokens, i + 1)
        msgid = args[singular] if len(args) > singular else None
        msgctxt = args[context] if context is not None and len(args) > context else ""
        if msgid and msgctxt is not None:
            yield msgctxt, msgid


def messages_in_template(text: str, origin: str = "") -> Iterator[Key]:
    """The messages of a Django template, found the way makemessages finds them."""
    from django.utils.translation.template import templatize

    code = templatize(text, origin)
    # The blanked-out template keeps its indentation, which Python would reject.
    yield from messages_in_code("\n".join(line.lstrip() for line in code.splitlines()))


def source_messages(root: Path = PACKAGE_DIR) -> dict[Key, str]:
    """Every message of the templates and Python modules under ``root`` -> where it is."""
    found: dict[Key, str] = {}
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if any(part.startswith(".") or part in ("locale", "__pycache__") for part in parts):
            continue
        if path.suffix == ".py":
            keys = messages_in_code(path.read_text(encoding="utf-8"))
        elif path.suffix in (".html", ".txt"):
            keys = messages_in_template(path.read_text(encoding="utf-8"), str(path))
        else:
            continue
        for key in keys:
            found.setdefault(key, _shown(path))
    return found


def extraction_problems() -> list[str]:
    """Strings in the code that a catalogue lacks (makemessages has not been run)."""
    sources = source_messages()
    problems = []
    for po in catalogues():
        absent = sorted(set(sources) - _keys(po))
        if absent:
            msgid = absent[0][1]
            problems.append(
                f"{_shown(po)} lacks {len(absent)} message(s) of the code, e.g. {msgid!r} "
                f"({sources[absent[0]]}); {HINT}"
            )
    return problems


def check() -> list[str]:
    if not catalogues():
        return [f"no .po files under LOCALE_PATHS; {HINT}"]
    return catalogue_problems() + extraction_problems()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m allmende.core.i18n", description=__doc__)
    parser.add_argument("command", choices=["compile", "check"])
    command = parser.parse_args(argv).command
    if command == "compile":
        written = compile_all()
        for mo in written:
            print(f"i18n: wrote {_shown(mo)}")
        if not written:
            print(f"i18n: {len(catalogues())} catalogue(s), every .mo already up to date")
        return 0
    problems = check()
    for problem in problems:
        print(f"i18n: {problem}", file=sys.stderr)
    if not problems:
        print(f"i18n: {len(catalogues())} catalogue(s) complete and compiled")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
