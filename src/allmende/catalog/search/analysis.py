"""Text analysis shared by both search backends.

Text is folded in Python before either backend sees it, at indexing and at query time:
lowercased, umlauts folded to their base letter (ä→a, ö→o, ü→u), ß to ss and any other
accent removed. The backends then stem the folded words with the Snowball German stemmer
(English for ``title_en``/``description_en``): tantivy's ``stemmer("german")`` and
PostgreSQL's ``german`` configuration give the same stems here, so "Bäume", "Baum" and
"Bäumen" all become ``baum``, "Straßen" and "Strassen" ``strass``, "Verkehrszählung"
``verkehrszahl``. Folding before stemming (rather than letting the stemmer see umlauts)
is what makes "Strassen" find "Straßen": the stemmer never sees an ß.
"""

import re
import unicodedata

_SPECIAL = str.maketrans({"ß": "ss", "ẞ": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l"})
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lowercase ``text`` and remove umlauts, ß and accents: "Straßenbäume" → "strassenbaume"."""
    text = text.lower().translate(_SPECIAL)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of ``text`` (letters and digits), in order."""
    return _WORD.findall(fold(text).replace("_", " "))


def suggestion_terms(texts: list[str]) -> list[str]:
    """Entries for suggestions: ``folded|Original`` per distinct word of at least three
    letters, so a folded prefix finds the word and the original spelling is shown."""
    seen: dict[str, str] = {}
    for text in texts:
        for word in re.findall(r"\w{3,}", text):
            if not word.isdigit():
                seen.setdefault(fold(word), word)
    return [f"{folded}|{original}" for folded, original in seen.items()]


def display(entry: str) -> str:
    """The original spelling of a suggestion entry."""
    return entry.partition("|")[2]
