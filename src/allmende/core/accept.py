"""Reading an HTTP Accept header (RFC 9110, section 12.5.1): pure, no Django."""

from collections.abc import Iterator


def accept_entries(header: str) -> Iterator[tuple[int, str, float]]:
    """(position, media range as written, quality) for each entry, in header order.
    A missing ``q`` is 1.0; an unreadable one counts as 0.0."""
    for position, part in enumerate(header.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        yield position, media, quality
