"""Geometry of the quality charts, drawn as inline SVG by the templates.

No script and nothing from elsewhere: the server computes bars and lines, the templates
write ``<svg role="img">`` with a title, a description and a data table beside it. The
colours keep a contrast of at least 4.5:1 against white, so bars and their labels stay
apart for people with low vision (WCAG 2.1 AA, 1.4.11 asks 3:1 of graphics).
"""

import datetime as dt
from dataclasses import dataclass

BAND_COLOURS = {
    "excellent": "#1e6b2f",
    "good": "#00577a",
    "sufficient": "#8a4b00",
    "bad": "#a4161a",
}
ACCENT = "#00577a"  # the site's accent colour; ink #1b1f24 and muted #4a5560 for text


@dataclass
class Bar:
    label: str
    value: float
    text: str  # the value as shown
    y: int
    width: float  # of the filled part
    colour: str
    text_y: float = 0.0  # the baseline of its labels


@dataclass
class BarChart:
    width: int
    height: int
    label_width: int
    track: int  # the width a full bar would take
    bar_height: int
    bars: list[Bar]

    @property
    def label_x(self) -> int:
        return self.label_width - 8

    @property
    def value_x(self) -> int:
        return self.label_width + self.track + 8


def bar_chart(
    items: list[tuple[str, float, str, str]],
    *,
    maximum: float | None = None,
    width: int = 560,
    label_width: int = 170,
    bar_height: int = 22,
) -> BarChart:
    """Horizontal bars for (label, value, text shown, colour); ``maximum`` is a full bar
    (default: the largest value)."""
    top = maximum if maximum else max((value for _l, value, _t, _c in items), default=0) or 1
    track = width - label_width - 90
    gap = 10
    bars = [
        Bar(
            label=label,
            value=value,
            text=text,
            y=gap + n * (bar_height + gap),
            width=round(track * max(0.0, min(value / top, 1.0)), 1),
            colour=colour,
            text_y=gap + n * (bar_height + gap) + round(bar_height * 0.7, 1),
        )
        for n, (label, value, text, colour) in enumerate(items)
    ]
    height = gap + len(items) * (bar_height + gap)
    return BarChart(width, height, label_width, track, bar_height, bars)


@dataclass
class Point:
    x: float
    y: float
    day: dt.date
    value: float


@dataclass
class Tick:
    y: float
    value: int


@dataclass
class LineChart:
    width: int
    height: int
    left: int
    top: int
    bottom: int  # the y of the zero line
    right: int
    points: list[Point]
    path: str
    ticks: list[Tick]
    first: dt.date | None
    last: dt.date | None


def line_chart(
    series: list[tuple[dt.date, float]],
    *,
    maximum: float = 405,
    ticks: tuple[int, ...] = (0, 120, 220, 350, 405),
    width: int = 640,
    height: int = 260,
) -> LineChart:
    """A line through (day, value) points, oldest first, with horizontal guide lines at
    ``ticks`` (by default the bounds of the rating bands)."""
    left, right, top, bottom = 48, width - 16, 12, height - 32
    days = [day for day, _v in series]
    first, last = (days[0], days[-1]) if days else (None, None)
    span = max((last - first).days, 1) if first and last else 1

    def x_of(day: dt.date) -> float:
        if first is None or len(series) == 1:
            return (left + right) / 2
        return round(left + (right - left) * (day - first).days / span, 1)

    def y_of(value: float) -> float:
        return round(bottom - (bottom - top) * min(max(value, 0), maximum) / maximum, 1)

    points = [Point(x_of(day), y_of(value), day, value) for day, value in series]
    path = " ".join(f"{'M' if n == 0 else 'L'}{p.x},{p.y}" for n, p in enumerate(points))
    return LineChart(
        width=width,
        height=height,
        left=left,
        top=top,
        bottom=bottom,
        right=right,
        points=points,
        path=path,
        ticks=[Tick(y_of(t), t) for t in ticks],
        first=first,
        last=last,
    )
