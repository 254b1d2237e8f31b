"""XML Schema and XPath for SHACL: lexical spaces (sh:datatype), regular expressions
(sh:pattern).

SHACL (4.1.2) lets a literal pass sh:datatype only when its datatype matches and its
lexical form is in the lexical space of that datatype: "2024-02-30"^^xsd:date fails. The
grammars here follow XML Schema 1.1 Part 2 (https://www.w3.org/TR/xmlschema11-2/),
without whitespace: an RDF lexical form is taken as written.
"""

import re
from collections.abc import Callable

XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_YEAR = r"(-?(?:[1-9][0-9]{3,}|0[0-9]{3}))"
_MONTH = r"(0[1-9]|1[0-2])"
_DAY = r"(0[1-9]|[12][0-9]|3[01])"
_TIME = r"(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|24:00:00(?:\.0+)?)"
_TZ = r"(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
_DATE = re.compile(rf"{_YEAR}-{_MONTH}-{_DAY}{_TZ}?")
_DATETIME = re.compile(rf"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}{_TZ}?")
_DATETIMESTAMP = re.compile(rf"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}{_TZ}")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_INTEGER = re.compile(r"[+-]?[0-9]+")
# Bounds of the integer types derived from xsd:integer (None: unbounded).
_INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-(2**7), 2**7 - 1),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 2**8 - 1),
}
_PATTERNS = {
    "boolean": r"true|false|1|0",
    "decimal": r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)",
    "float": r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[Ee][+-]?[0-9]+)?|[+-]?INF|NaN",
    "double": r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[Ee][+-]?[0-9]+)?|[+-]?INF|NaN",
    "time": rf"{_TIME}{_TZ}?",
    "gYear": rf"{_YEAR}{_TZ}?",
    "gYearMonth": rf"{_YEAR}-{_MONTH}{_TZ}?",
    "duration": r"-?P(?=[0-9T])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?"
    r"(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]+)?S)?)?",
    "dayTimeDuration": r"-?P(?=[0-9T])(?:[0-9]+D)?"
    r"(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]+)?S)?)?",
    "yearMonthDuration": r"-?P(?=[0-9])(?:[0-9]+Y)?(?:[0-9]+M)?",
    "hexBinary": r"(?:[0-9a-fA-F]{2})*",
    "base64Binary": r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?",
}
_ANY = ("string", "normalizedString", "token", "anyURI")


def lexical_check(datatype: str) -> Callable[[str], bool] | None:
    """A test of lexical forms for the datatype IRI, or None if we have none for it."""
    if datatype == _RDF_LANGSTRING or datatype in (XSD + name for name in _ANY):
        return _anything
    name = datatype.removeprefix(XSD) if datatype.startswith(XSD) else ""
    if name in ("date", "dateTime", "dateTimeStamp"):
        grammar = {"date": _DATE, "dateTime": _DATETIME, "dateTimeStamp": _DATETIMESTAMP}[name]
        return lambda text: _is_date(grammar, text)
    if name in _INTEGER_RANGES:
        low, high = _INTEGER_RANGES[name]
        return lambda text: _is_integer(text, low, high)
    if name in _PATTERNS:
        return re.compile(_PATTERNS[name]).fullmatch
    return None


def _anything(text: str) -> bool:
    return True


def _is_date(grammar: re.Pattern[str], text: str) -> bool:
    """The grammar, and a day that exists in its month (29 February in leap years)."""
    match = grammar.fullmatch(text)
    if match is None:
        return False
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if month == 2 and day == 29:
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= _DAYS[month - 1]


def _is_integer(text: str, low: int | None, high: int | None) -> bool:
    if _INTEGER.fullmatch(text) is None:
        return False
    value = int(text)
    return (low is None or value >= low) and (high is None or value <= high)


# XPath regular expression features that Python's re reads differently or not at all.
_XPATH_ONLY = re.compile(r"\\[pPicIC]|-\[")
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}


def xpath_regex(pattern: str, flags: str) -> re.Pattern[str] | None:
    """An XPath regular expression (SHACL 4.4.1) as Python's re reads it the same way,
    or None where it would not: character class escapes such as \\p{L}, subtraction."""
    if _XPATH_ONLY.search(pattern) or set(flags) - set(_FLAGS):
        return None
    bits = 0
    for flag in flags:
        bits |= _FLAGS[flag]
    return re.compile(pattern, bits)
