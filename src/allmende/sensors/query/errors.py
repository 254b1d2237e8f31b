"""The one error the query parser raises: an English template, its values and a position."""

from typing import Any


class QueryError(ValueError):
    """A query option that cannot be parsed.

    ``message`` is an English template with named placeholders (``"expected {expected}"``),
    ``params`` fills them, so a later translation can translate the template alone.
    ``position`` is the 0-based character offset in the value of ``option`` (for options
    nested in ``$expand``: in the whole ``$expand`` value), or None where no single place
    is to blame. ``str()`` gives one line, e.g. ``$filter: expected ')' at position 17``.
    """

    def __init__(
        self, message: str, position: int | None = None, *, option: str = "", **params: Any
    ) -> None:
        super().__init__(message, position)
        self.message = message
        self.position = position
        self.option = option
        self.params = params

    @property
    def text(self) -> str:
        """The message with its placeholders filled in (without option and position).

        Characters that are not printable (line breaks, tabs, controls from the client's
        text) are shown as escapes, so the message stays one line.
        """
        text = self.message.format(**self.params)
        if text.isprintable():
            return text
        return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)

    def __str__(self) -> str:
        prefix = f"{self.option}: " if self.option else ""
        where = "" if self.position is None else f" at position {self.position}"
        return f"{prefix}{self.text}{where}"
